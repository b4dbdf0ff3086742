// An LM judge of one run: it reads the run's inputs and outputs (and the expected outputs, when a
// reference is given) and scores how well the outputs meet the criteria, from 0 to 1, with a reason.
import { exactMatch, f1, numericMatch, Predict, signature, type LM, type Metric, type Values } from "../../dspex";
import type { MetricScoreBody } from "../../schemas";

const WITH_REFERENCE = signature(
  'criteria: string, inputs: json "what the program was given", expected: json "the reference outputs", output: json "the program\'s outputs" -> score: probability "how well the output meets the criteria, 0 to 1", reason: string "why, in one or two sentences"',
  { instructions: "Score how well the program's output meets the criteria, using the expected outputs as the reference." },
);
const WITHOUT_REFERENCE = signature(
  'criteria: string, inputs: json "what the program was given", output: json "the program\'s outputs" -> score: probability "how well the output meets the criteria, 0 to 1", reason: string "why, in one or two sentences"',
  { instructions: "Score how well the program's output meets the criteria." },
);

/** A run's JSON value as a json field takes it (an object; anything else wrapped). */
function asJson(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

export interface JudgeVerdict {
  readonly score: number;
  readonly reason: string;
}

export async function judgeRun(lm: LM, run: { readonly input: unknown; readonly output: unknown }, body: { readonly criteria: string; readonly reference?: Record<string, unknown>; readonly model?: string }): Promise<JudgeVerdict> {
  const inputs = asJson(run.input);
  const output = asJson(run.output);
  const settings = { temperature: 0, ...(body.model && { model: body.model }) };
  const verdict = body.reference
    ? await new Predict(WITH_REFERENCE, { settings }).run({ criteria: body.criteria, inputs, expected: body.reference, output }, lm)
    : await new Predict(WITHOUT_REFERENCE, { settings }).run({ criteria: body.criteria, inputs, output }, lm);
  const score = Math.min(1, Math.max(0, Number(verdict.score)));
  return { score: Number.isFinite(score) ? score : 0, reason: String(verdict.reason ?? "") };
}

/** A built-in metric's score of a run's output against the expected outputs. */
export async function metricScore(output: Values, body: { readonly metric: MetricScoreBody["metric"]; readonly field?: string; readonly expected: Record<string, unknown> }): Promise<number> {
  const field = body.field ?? (Object.keys(body.expected).length === 1 ? Object.keys(body.expected)[0]! : "answer");
  const metric: Metric = body.metric === "exact_match" ? exactMatch(field) : body.metric === "f1" ? f1(field) : numericMatch(field);
  const value = await metric({ inputs: {}, outputs: body.expected as Values }, output);
  return typeof value === "number" ? value : typeof value === "boolean" ? Number(value) : value.score;
}
