// Code-writing prompts (the demo team's coder): a deliberately simple, documented behaviour, not a
// model of programming. A request whose outputs include a string field named `code` (or ending in
// `_code`) is answered here:
//
// 1. The function is the first backticked call in the task input (`fizzbuzz(n)`), else the name
//    after "function" ("a function named fizzbuzz"). The task input is the one named like
//    task/spec/specification/problem/description (else the longest input).
// 2. For the eight bundled demo-team tasks (fizzbuzz, reverseWords, isPalindrome, sumOfDigits,
//    runLengthEncode, wordCount, flatten, clamp) it returns a known solution. With no feedback
//    (no input named like feedback/review/critique, or one that is empty or "none") the solution
//    has ONE documented flaw (FLAWS below), so a reviewer running hidden tests sends it back;
//    with feedback it returns the correct solution. Feedback is not read beyond being present.
// 3. Any other function gets a stub that throws "not implemented".
//
// No draws and no competence: the same request always gets the same code. The code is plain
// JavaScript text without fences.

interface KnownSolution {
  readonly correct: string;
  readonly flawed: string;
  /** What is wrong with `flawed`, for the README and the tests. */
  readonly flaw: string;
}

const SOLUTIONS: Readonly<Record<string, KnownSolution>> = Object.freeze({
  fizzbuzz: {
    correct: `function fizzbuzz(n) {\n  const out = [];\n  for (let i = 1; i <= n; i++) {\n    if (i % 15 === 0) out.push("FizzBuzz");\n    else if (i % 3 === 0) out.push("Fizz");\n    else if (i % 5 === 0) out.push("Buzz");\n    else out.push(String(i));\n  }\n  return out;\n}`,
    flawed: `function fizzbuzz(n) {\n  const out = [];\n  for (let i = 1; i <= n; i++) {\n    if (i % 3 === 0) out.push("Fizz");\n    else if (i % 5 === 0) out.push("Buzz");\n    else if (i % 15 === 0) out.push("FizzBuzz");\n    else out.push(String(i));\n  }\n  return out;\n}`,
    flaw: "checks 3 before 15, so multiples of 15 give Fizz",
  },
  reverseWords: {
    correct: `function reverseWords(s) {\n  return s.trim().split(/\\s+/).filter(Boolean).reverse().join(" ");\n}`,
    flawed: `function reverseWords(s) {\n  return s.split(" ").reverse().join(" ");\n}`,
    flaw: "splits on single spaces, so extra or leading spaces survive",
  },
  isPalindrome: {
    correct: `function isPalindrome(s) {\n  const t = s.toLowerCase().replace(/[^a-z0-9]/g, "");\n  return t === t.split("").reverse().join("");\n}`,
    flawed: `function isPalindrome(s) {\n  const t = s.replace(/[^A-Za-z0-9]/g, "");\n  return t === t.split("").reverse().join("");\n}`,
    flaw: "does not ignore case",
  },
  sumOfDigits: {
    correct: `function sumOfDigits(n) {\n  return String(Math.abs(Math.trunc(n))).split("").reduce((sum, d) => sum + Number(d), 0);\n}`,
    flawed: `function sumOfDigits(n) {\n  return String(n).split("").reduce((sum, d) => sum + Number(d), 0);\n}`,
    flaw: "negative numbers give NaN (the minus sign is read as a digit)",
  },
  runLengthEncode: {
    correct: `function runLengthEncode(s) {\n  let out = "";\n  for (let i = 0; i < s.length; ) {\n    let j = i;\n    while (j < s.length && s[j] === s[i]) j++;\n    out += String(j - i) + s[i];\n    i = j;\n  }\n  return out;\n}`,
    flawed: `function runLengthEncode(s) {\n  let out = "";\n  let count = 1;\n  for (let i = 1; i < s.length; i++) {\n    if (s[i] === s[i - 1]) count++;\n    else {\n      out += String(count) + s[i - 1];\n      count = 1;\n    }\n  }\n  return out;\n}`,
    flaw: "drops the last run",
  },
  wordCount: {
    correct: `function wordCount(s) {\n  const counts = {};\n  for (const w of s.toLowerCase().match(/[a-z0-9']+/g) || []) counts[w] = (counts[w] || 0) + 1;\n  return counts;\n}`,
    flawed: `function wordCount(s) {\n  const counts = {};\n  for (const w of s.match(/[A-Za-z0-9']+/g) || []) counts[w] = (counts[w] || 0) + 1;\n  return counts;\n}`,
    flaw: "counts words case-sensitively",
  },
  flatten: {
    correct: `function flatten(arr) {\n  const out = [];\n  for (const x of arr) {\n    if (Array.isArray(x)) out.push(...flatten(x));\n    else out.push(x);\n  }\n  return out;\n}`,
    flawed: `function flatten(arr) {\n  return [].concat(...arr);\n}`,
    flaw: "flattens one level only",
  },
  clamp: {
    correct: `function clamp(x, min, max) {\n  return Math.min(max, Math.max(min, x));\n}`,
    flawed: `function clamp(x, min, max) {\n  return Math.max(min, x);\n}`,
    flaw: "ignores the upper bound",
  },
});

/** The bundled functions and the flaw of each first attempt (documented in README.md). */
export const DEMO_CODE_FLAWS: Readonly<Record<string, string>> = Object.freeze(Object.fromEntries(Object.entries(SOLUTIONS).map(([name, s]) => [name, s.flaw])));

const CODE_FIELD = /^(code|.+_code)$/i;
const TASK_INPUT = /task|spec|problem|description|requirement/i;
const FEEDBACK_INPUT = /feedback|review|critique/i;

export function isCodeField(field: { readonly name: string; readonly kind: string }): boolean {
  return field.kind === "string" && CODE_FIELD.test(field.name);
}

/** The function a task asks for: the first backticked call, else the name after "function". */
export function functionNameIn(task: string): string | undefined {
  return /`([A-Za-z_$][\w$]*)\s*\(/.exec(task)?.[1] ?? /\bfunction\s+(?:named\s+|called\s+)?`?([A-Za-z_$][\w$]*)/i.exec(task)?.[1];
}

function hasFeedback(inputs: Readonly<Record<string, string>>): boolean {
  return Object.entries(inputs).some(([name, text]) => FEEDBACK_INPUT.test(name) && !/^\s*(none|n\/a|-|\(none\))?\s*$/i.test(text));
}

function taskText(inputs: Readonly<Record<string, string>>): string {
  const named = Object.entries(inputs).find(([name]) => TASK_INPUT.test(name) && !FEEDBACK_INPUT.test(name))?.[1];
  return named ?? Object.values(inputs).reduce((a, b) => (b.length > a.length ? b : a), "");
}

/** The code for a code-writing request (see the top of this file). */
export function writeCode(inputs: Readonly<Record<string, string>>): string {
  const name = functionNameIn(taskText(inputs));
  const known = name !== undefined ? SOLUTIONS[name] : undefined;
  if (known) return hasFeedback(inputs) ? known.correct : known.flawed;
  const fn = name ?? "solution";
  return `function ${fn}(...args) {\n  throw new Error("not implemented: the DSPEx demo model only writes code for its bundled tasks");\n}`;
}
