// Arithmetic word problems: the first number is the starting amount; every later sentence with a
// number (or "doubles", "triples", "half") is one operation, chosen by its verb (lexicon below).

export type Op = "+" | "-" | "*" | "/";

export interface ArithmeticStep {
  readonly op: Op;
  readonly operand: number;
}

export interface ArithmeticProblem {
  readonly start: number;
  readonly steps: readonly ArithmeticStep[];
}

/** Checked in this order; the first that matches a sentence decides its operation. */
export const OPERATION_LEXICON: readonly (readonly [Op, RegExp])[] = [
  ["/", /\b(equally|splits?|divides?|shares?|half|halves)\b/],
  ["*", /\b(times|multipl\w*|doubles?|triples?)\b/],
  ["+", /\b(more|buys?|bought|finds?|found|receives?|earns?|collects?|wins?|gets?|adds?)\b/],
  ["-", /\b(gives? away|gave away|sells?|sold|loses?|lost|eats?|ate|uses?|used|spends?|donates?|breaks?|removes?)\b/],
];

const IMPLICIT: readonly (readonly [RegExp, number])[] = [
  [/\bdoubles?\b/, 2],
  [/\btriples?\b/, 3],
  [/\b(half|halves)\b/, 2],
];

function firstNumber(text: string): number | undefined {
  const m = /-?\d+(?:\.\d+)?/.exec(text.replace(/(\d),(\d{3})/g, "$1$2"));
  return m ? Number(m[0]) : undefined;
}

/** Reads a problem, or undefined when it does not look like one (no start amount or no operation). */
export function parseArithmetic(text: string): ArithmeticProblem | undefined {
  const parts = text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.endsWith("?"));
  let start: number | undefined;
  const steps: ArithmeticStep[] = [];
  for (const sentence of parts) {
    const lower = sentence.toLowerCase();
    if (start === undefined) {
      start = firstNumber(lower);
      continue;
    }
    const op = OPERATION_LEXICON.find(([, re]) => re.test(lower))?.[0];
    const operand = firstNumber(lower) ?? IMPLICIT.find(([re]) => re.test(lower))?.[1];
    if (op && operand !== undefined) steps.push({ op, operand });
  }
  return start !== undefined && steps.length > 0 ? { start, steps } : undefined;
}

export function applyOp(value: number, { op, operand }: ArithmeticStep): number {
  switch (op) {
    case "+":
      return value + operand;
    case "-":
      return value - operand;
    case "*":
      return value * operand;
    case "/":
      return value / operand;
  }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

export interface Worked {
  readonly answer: number;
  /** One line per step, e.g. "Step 1: 12 + 5 = 17." */
  readonly reasoning: string;
}

/** Works the steps in order and writes them down. */
export function work(start: number, steps: readonly ArithmeticStep[]): Worked {
  const lines = [`Start with ${start}.`];
  let value = start;
  steps.forEach((step, i) => {
    const next = round(applyOp(value, step));
    lines.push(`Step ${i + 1}: ${value} ${step.op} ${step.operand} = ${next}.`);
    value = next;
  });
  lines.push(`So the answer is ${value}.`);
  return { answer: value, reasoning: lines.join("\n") };
}

/** The usual slip for each operation when it is misapplied: it is read as adding or taking away. */
const MISAPPLIED: Readonly<Record<Op, Op>> = { "+": "-", "-": "+", "*": "+", "/": "-" };

/**
 * A typical wrong answer: one step dropped (kind "drop") or misapplied (kind "misapply") at
 * `index`; when that still lands on the right answer the other kind is tried, then an off-by-one.
 */
export function workWithSlip(problem: ArithmeticProblem, index: number, kind: "drop" | "misapply"): Worked {
  const right = work(problem.start, problem.steps).answer;
  const i = Math.min(problem.steps.length - 1, Math.max(0, index));
  const variants = (k: "drop" | "misapply") =>
    k === "drop"
      ? problem.steps.filter((_, j) => j !== i)
      : problem.steps.map((s, j) => (j === i ? { op: MISAPPLIED[s.op], operand: s.operand } : s));
  for (const k of kind === "drop" ? (["drop", "misapply"] as const) : (["misapply", "drop"] as const)) {
    const worked = work(problem.start, variants(k));
    if (worked.answer !== right) return worked;
  }
  const worked = work(problem.start, problem.steps);
  return { answer: right + 1, reasoning: worked.reasoning.replace(/So the answer is .*$/, `So the answer is ${right + 1}.`) };
}
