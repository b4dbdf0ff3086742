import type { LM } from "../lm/types";
import { Predict } from "../modules/predict";
import { signature } from "../signatures";
import type { Values } from "../signatures/types";
import type { Example, Metric } from "./types";

const ARTICLES = new Set(["a", "an", "the"]);

/** Lower case, no punctuation, no articles, single spaces: the usual answer normalisation for QA. */
export function normalizeText(value: unknown): string {
  const text = typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value);
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter((w) => w && !ARTICLES.has(w))
    .join(" ");
}

function expected(example: Example, field: string): unknown {
  if (!(field in example.outputs)) throw new Error(`the example has no expected output "${field}" (it has: ${Object.keys(example.outputs).join(", ")})`);
  return example.outputs[field];
}

/** 1 when the prediction equals the expected value after normalisation (or exactly, with caseSensitive). */
export function exactMatch(field = "answer", options: { normalize?: boolean } = {}): Metric {
  const norm = options.normalize === false ? (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v)) : normalizeText;
  return (example, prediction) => norm(expected(example, field)) === norm(prediction[field]);
}

/** Token-overlap F1 between the predicted and the expected text. */
export function f1(field = "answer"): Metric {
  return (example, prediction) => tokenF1(normalizeText(prediction[field]), normalizeText(expected(example, field)));
}

export function tokenF1(predicted: string, gold: string): number {
  const p = predicted.split(" ").filter(Boolean);
  const g = gold.split(" ").filter(Boolean);
  if (p.length === 0 || g.length === 0) return p.length === g.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of g) counts.set(w, (counts.get(w) ?? 0) + 1);
  let common = 0;
  for (const w of p) {
    const c = counts.get(w) ?? 0;
    if (c > 0) {
      common++;
      counts.set(w, c - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / g.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Reads a number out of a value: 42, "42", "1,234.5", "$3", "the answer is 7". */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = value.replace(/(\d),(?=\d{3}\b)/g, "$1").match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/i);
  return match ? Number(match[0]) : undefined;
}

/** 1 when the predicted number is within the tolerance of the expected one (absolute, or relative). */
export function numericMatch(field = "answer", options: { tolerance?: number; relative?: boolean } = {}): Metric {
  const tolerance = options.tolerance ?? 1e-6;
  return (example, prediction) => {
    const want = toNumber(expected(example, field));
    const got = toNumber(prediction[field]);
    if (want === undefined || got === undefined) return 0;
    const diff = Math.abs(want - got);
    return options.relative ? diff <= tolerance * Math.max(Math.abs(want), Number.EPSILON) : diff <= tolerance;
  };
}

const JUDGE = signature(
  'criteria: string, inputs: json "what the program was given", expected: json "the reference outputs", predicted: json "the program\'s outputs" -> correct: boolean, reason: string "why, in one or two sentences"',
  { instructions: "Judge whether the predicted outputs satisfy the criteria, using the expected outputs as the reference." },
);

/**
 * An LM reads the inputs, the expected and the predicted outputs and decides whether the
 * prediction meets the criteria; its reason becomes the metric's feedback.
 */
export function lmJudge(options: { lm: LM; criteria?: string; model?: string }): Metric {
  const judge = new Predict(JUDGE, { settings: { temperature: 0, ...(options.model ? { model: options.model } : {}) } });
  const criteria = options.criteria ?? "The predicted outputs are correct and say the same as the expected outputs.";
  return async (example: Example, prediction: Values) => {
    const verdict = await judge.run({ criteria, inputs: example.inputs, expected: example.outputs, predicted: prediction }, options.lm);
    return { score: verdict.correct === true ? 1 : 0, feedback: String(verdict.reason ?? "") };
  };
}

/**
 * The default metric when none is given: every expected output compared with the prediction
 * (numbers within 1e-6, text after normalisation), averaged over the expected fields.
 */
export function outputsMatch(): Metric {
  return (example, prediction) => {
    const fields = Object.keys(example.outputs);
    if (fields.length === 0) throw new Error("the example has no expected outputs to compare with; pass a metric");
    let sum = 0;
    for (const field of fields) {
      const want = example.outputs[field];
      if (typeof want === "number") {
        const got = toNumber(prediction[field]);
        sum += got !== undefined && Math.abs(got - want) <= 1e-6 ? 1 : 0;
      } else sum += normalizeText(want) === normalizeText(prediction[field]) ? 1 : 0;
    }
    return sum / fields.length;
  };
}
