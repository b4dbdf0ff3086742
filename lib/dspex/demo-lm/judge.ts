// Judging: when the inputs hold an expected answer and a prediction, compare them: equal after
// normalising (or numerically within 1e-6) scores 1, otherwise the token-overlap F1.
import type { DemoField } from "./field-lines";
import { normalizeText, tokenF1 } from "../evaluate/metrics";

const GOLD = /^(gold|expected|reference|target|truth|ground_truth|gold_answer|expected_answer|correct_answer|label)$/i;
const PREDICTION = /^(prediction|predicted|pred|response|output|candidate|student_answer|generated|answer)$/i;
const JUDGE_OUTPUT = /score|verdict|correct|match|grade|rating|pass|judg|similar/i;

export interface JudgeInputs {
  readonly gold: string;
  readonly prediction: string;
}

/** The gold and prediction inputs, when the request is a judging request. */
export function judgeInputs(inputs: Readonly<Record<string, string>>, outputs: readonly DemoField[]): JudgeInputs | undefined {
  const entries = Object.entries(inputs);
  const gold = entries.find(([k]) => GOLD.test(k) || /gold|expected|reference/i.test(k));
  const prediction = entries.find(([k]) => k !== gold?.[0] && (PREDICTION.test(k) || /predict/i.test(k)));
  if (!gold || !prediction || !outputs.some((f) => JUDGE_OUTPUT.test(f.name))) return undefined;
  return { gold: gold[1], prediction: prediction[1] };
}

export function similarity(gold: string, prediction: string): number {
  const a = Number(gold.trim());
  const b = Number(prediction.trim());
  if (gold.trim() !== "" && prediction.trim() !== "" && Number.isFinite(a) && Number.isFinite(b)) return Math.abs(a - b) <= 1e-6 ? 1 : 0;
  return tokenF1(normalizeText(prediction), normalizeText(gold));
}

const POSITIVE = /^(yes|true|correct|pass|match|good|right|accept)/i;

/** The judge's value for one output field. */
export function judgeValue(field: DemoField, judged: JudgeInputs): unknown {
  const sim = similarity(judged.gold, judged.prediction);
  const good = sim >= 0.5;
  switch (field.kind) {
    case "boolean":
      return good;
    case "number":
    case "probability":
    case "confidence":
      return Math.round((field.min ?? 0) + ((field.max ?? 1) - (field.min ?? 0)) * sim * 1000) / 1000;
    case "integer":
    case "score":
      return Math.round((field.min ?? 0) + ((field.max ?? (field.kind === "score" ? 10 : 1)) - (field.min ?? 0)) * sim);
    case "labels": {
      const positive = field.labels.find((l) => POSITIVE.test(l.value));
      const negative = field.labels.find((l) => l !== positive);
      return (good ? positive : negative)?.value ?? field.labels[0]?.value ?? "";
    }
    default:
      if (/verdict|correct|match|pass/i.test(field.name)) return good ? "correct" : "incorrect";
      return sim === 1
        ? "The prediction matches the expected answer."
        : good
          ? "The prediction partly matches the expected answer."
          : "The prediction does not match the expected answer.";
  }
}
