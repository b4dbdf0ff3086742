// The seeded generator of the arithmetic demo dataset: word problems with 1 to 4 steps
// (+, -, *, / on whole numbers, every intermediate result a positive whole number). The same
// seed always gives the same file: `node --import tsx lib/dspex/demos/arithmetic/write-dataset.ts`.
import type { DatasetFile, DatasetRecord } from "../dataset-file";

export const ARITHMETIC_SEED = 20_260_101;
export const ARITHMETIC_COUNT = 100;

/** A small seeded generator (xorshift-multiply on 32 bits). */
function rng(seed: number): { next(): number; int(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return Math.imul(state, 0x2c1b3c6d) >>> 0;
  };
  const unit = () => next() / 2 ** 32;
  return {
    next: unit,
    int: (min, max) => min + Math.floor(unit() * (max - min + 1)),
    pick<T>(items: readonly T[]): T {
      return items[Math.floor(unit() * items.length)] as T;
    },
  };
}

type Rng = ReturnType<typeof rng>;

const PEOPLE: readonly (readonly [string, "she" | "he"])[] = [
  ["Maya", "she"], ["Leo", "he"], ["Priya", "she"], ["Tomas", "he"], ["Sara", "she"], ["Omar", "he"],
  ["Lena", "she"], ["Kofi", "he"], ["Ana", "she"], ["Ravi", "he"], ["Ines", "she"], ["Jonas", "he"],
];
const ITEMS = ["apples", "marbles", "stickers", "books", "coins", "cookies", "pencils", "stamps", "shells", "cards", "beads", "tickets"];

interface Words {
  readonly name: string;
  readonly P: string;
  readonly p: string;
  readonly obj: string;
  readonly poss: string;
  readonly items: string;
}

type Op = "+" | "-" | "*" | "/";

const SENTENCES: Readonly<Record<Op, readonly ((w: Words, n: number) => string | undefined)[]>> = {
  "+": [
    (w, n) => `${w.P} buys ${n} more ${w.items}.`,
    (w, n) => `${w.P} finds ${n} more.`,
    (w, n) => `A friend gives ${w.obj} ${n} more ${w.items}.`,
    (w, n) => `Then ${w.p} collects ${n} more ${w.items}.`,
    (w, n) => `${w.P} wins ${n} more at a fair.`,
  ],
  "-": [
    (w, n) => `${w.P} gives away ${n} ${w.items}.`,
    (w, n) => `${w.P} sells ${n} of them.`,
    (w, n) => `${w.P} loses ${n} ${w.items} on the way home.`,
    (w, n) => `Then ${w.p} uses ${n} of them for a school project.`,
  ],
  "*": [
    (w, n) => `${w.P} then ends up with ${n} times as many ${w.items}.`,
    (w, n) => `The number of ${w.items} is multiplied by ${n}.`,
    (w, n) => (n === 2 ? `${w.P} doubles ${w.poss} ${w.items}.` : undefined),
    (w, n) => (n === 3 ? `${w.P} triples ${w.poss} ${w.items}.` : undefined),
  ],
  "/": [
    (w, n) => `${w.P} splits the ${w.items} equally into ${n} boxes and keeps one box.`,
    (w, n) => `${w.P} divides them equally into ${n} piles and keeps one pile.`,
    (w, n) => (n === 2 ? `${w.P} gives half of them to a neighbour and keeps the rest.` : undefined),
  ],
};

const STARTS: readonly ((w: Words, n: number) => string)[] = [
  (w, n) => `${w.name} has ${n} ${w.items}.`,
  (w, n) => `${w.name} starts with ${n} ${w.items}.`,
  (w, n) => `${w.name} owns ${n} ${w.items}.`,
];

const QUESTIONS: readonly ((w: Words) => string)[] = [
  (w) => `How many ${w.items} does ${w.name} have now?`,
  (w) => `How many ${w.items} does ${w.p} have at the end?`,
];

/** The operands an operation may take on `value` (empty when it does not fit). */
function operands(op: Op, value: number): number[] {
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  switch (op) {
    case "+":
      return range(2, 25);
    case "-":
      return value >= 3 ? range(1, Math.min(value - 1, 30)) : [];
    case "*":
      return [2, 3, 4].filter((n) => value * n <= 400);
    case "/":
      return [2, 3, 4, 5, 6].filter((n) => value % n === 0 && value / n >= 2);
  }
}

function apply(op: Op, value: number, n: number): number {
  return op === "+" ? value + n : op === "-" ? value - n : op === "*" ? value * n : value / n;
}

function sentenceFor(op: Op, w: Words, n: number, r: Rng): string {
  const options = SENTENCES[op].map((make) => make(w, n)).filter((s): s is string => s !== undefined);
  return r.pick(options);
}

function problem(r: Rng, steps: number): { text: string; answer: number } {
  const [name, pronoun] = r.pick(PEOPLE);
  const he = pronoun === "he";
  const w: Words = { name, P: he ? "He" : "She", p: pronoun, obj: he ? "him" : "her", poss: he ? "his" : "her", items: r.pick(ITEMS) };
  let value = r.int(6, 40);
  const lines = [r.pick(STARTS)(w, value)];
  for (let i = 0; i < steps; i++) {
    const op = r.pick((["+", "-", "*", "/"] as const).filter((o) => operands(o, value).length > 0));
    const n = r.pick(operands(op, value));
    lines.push(sentenceFor(op, w, n, r));
    value = apply(op, value, n);
  }
  lines.push(r.pick(QUESTIONS)(w));
  return { text: lines.join(" "), answer: value };
}

/** The dataset: steps cycle 1..4; of every 5 examples the 4th and 5th are validation (40 of 100). */
export function generateArithmeticDataset(seed = ARITHMETIC_SEED, count = ARITHMETIC_COUNT): DatasetFile {
  const r = rng(seed);
  const examples: DatasetRecord[] = Array.from({ length: count }, (_, i) => {
    const { text, answer } = problem(r, 1 + (i % 4));
    return {
      id: `arithmetic-${String(i + 1).padStart(3, "0")}`,
      split: i % 5 >= 3 ? "validation" : "train",
      inputs: { problem: text },
      outputs: { answer },
    };
  });
  return {
    name: "arithmetic",
    description: `Word problems with 1 to 4 whole-number steps, generated with seed ${seed} by generate-problems.ts.`,
    examples,
  };
}

/** The file's text exactly as committed (two-space JSON and a final newline). */
export function arithmeticDatasetText(seed = ARITHMETIC_SEED, count = ARITHMETIC_COUNT): string {
  return `${JSON.stringify(generateArithmeticDataset(seed, count), null, 2)}\n`;
}
