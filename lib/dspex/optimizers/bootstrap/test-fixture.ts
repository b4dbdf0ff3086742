// A scripted task for the bootstrap and MIPROv2 tests: "itemN" must be answered "ITEMN". The
// fake model answers right or wrong by a rule over the request, so the optimum is known.
import type { Example, Metric } from "../../evaluate/types";
import type { LMRequest } from "../../lm/types";
import { FakeLM, byFields, inputsOf } from "../../testing";

export function items(count: number, from = 0): Example[] {
  return Array.from({ length: count }, (_, i) => ({ id: `item${from + i}`, inputs: { question: `item${from + i}` }, outputs: { answer: `ITEM${from + i}` } }));
}

export const exact: Metric = (example, prediction) => (prediction.answer === example.outputs.answer ? 1 : 0);

export interface RequestView {
  readonly question: string;
  readonly number: number;
  /** The system message's text before the field list. */
  readonly instructions: string;
  /** The demo turns: user inputs and assistant replies. */
  readonly demoTurns: readonly string[];
  readonly request: LMRequest;
}

export function view(request: LMRequest): RequestView {
  const inputs = inputsOf(request);
  const question = inputs.question ?? "";
  const system = request.messages.find((m) => m.role === "system")?.content ?? "";
  const lastUser = request.messages.map((m) => m.role).lastIndexOf("user");
  return {
    question,
    number: Number(question.replace(/\D/g, "") || -1),
    instructions: system.split(/\n\nInput fields:/)[0] ?? "",
    demoTurns: request.messages.slice(1, lastUser).map((m) => m.content),
    request,
  };
}

/**
 * A request about an item (a `question` input) gets every output field: "answer" right
 * (uppercase) when `right(view)` holds, else wrong; any other field "<field> for <question>"
 * (so bootstrapped demos, unlike labeled ones, carry text with " for item"). Other requests
 * (proposals, summaries) get `write`.
 */
export function scriptedLM(right: (v: RequestView) => boolean, write: (outputs: string[], request: LMRequest) => Record<string, unknown> = (o) => Object.fromEntries(o.map((f) => [f, `${f} text`]))): FakeLM {
  return new FakeLM(
    byFields((_inputs, outputs, request) => {
      const v = view(request);
      if (!v.question) return write(outputs, request);
      return Object.fromEntries(outputs.map((o) => [o, o === "answer" ? (right(v) ? v.question.toUpperCase() : `wrong-${v.question}`) : `${o} for ${v.question}`]));
    }),
  );
}

/** Whether the prompt shows a bootstrapped demo (a trace field such as reasoning or notes). */
export const showsTrace = (v: RequestView): boolean => v.demoTurns.some((t) => t.includes(" for item"));

/** The configuration an optimizer scored as its candidate (its recommendation). */
export function candidateConfig(trials: readonly { readonly meta?: Readonly<Record<string, unknown>>; readonly config: Readonly<Record<string, unknown>> }[], candidate?: string) {
  return trials.find((t) => t.meta?.role === "candidate" && (candidate === undefined || t.meta.candidate === candidate))?.config;
}

/** Demo turns that show a traced answer (see tracedTaskLM). */
export const tracedDemos = (v: RequestView): number => v.demoTurns.filter((t) => t.includes("(traced)")).length;

/** Exact match, ignoring the "(traced)" mark of the teacher's answers. */
export const unmarked: Metric = (example, prediction) => (String(prediction.answer).replace(" (traced)", "") === example.outputs.answer ? 1 : 0);

/**
 * Training items (number < 100): right on even ones, answered with a "(traced)" mark that labels
 * lack, so a student can tell bootstrapped demos from labeled ones. Validation items (>= 100):
 * right when `valRight(view)` holds. Other requests get `write`.
 */
export function tracedTaskLM(valRight: (v: RequestView) => boolean, write: (outputs: string[], request: LMRequest) => Record<string, unknown> = (o) => Object.fromEntries(o.map((f) => [f, `${f} text`]))): FakeLM {
  return new FakeLM(
    byFields((_inputs, outputs, request) => {
      const v = view(request);
      if (!v.question) return write(outputs, request);
      const right = v.number < 100 ? v.number % 2 === 0 : valRight(v);
      return { answer: right ? `${v.question.toUpperCase()}${v.number < 100 ? " (traced)" : ""}` : "wrong" };
    }),
  );
}
