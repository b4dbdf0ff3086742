// Decides every output value of one sample: the bundled-task answer (right with probability p,
// the competence), reasoning, proposed instructions, judgements, and typed filler for the rest.
import { type Competence, competence, type DemoTaskKind } from "./competence";
import { routingCompetence } from "./solve-routing";
import { fillGeneric } from "./fill-generic";
import { judgeInputs, judgeValue } from "./judge";
import type { DemoModelProfile } from "./models";
import type { DemoRequest } from "./read-request";
import { drawsFrom, unitHash } from "./seeded-hash";
import { parseArithmetic, work } from "./solve-arithmetic";
import { isReasoningField, recogniseTask, type Attempt } from "./task-answer";
import { firstWords } from "./text-words";
import { writeAdvice, writeInstruction } from "./write-instruction";
import { isCodeField, writeCode } from "./write-code";
import { readTestReport, reviewValue } from "./review-tests";

export interface SampleKey {
  readonly seed: number;
  readonly model: DemoModelProfile;
  readonly temperature: number;
  readonly rolloutId?: string;
  /** Which of the request's n choices; only used when temperature > 0. */
  readonly sampleIndex: number;
}

export interface Decision {
  readonly values: Readonly<Record<string, unknown>>;
  /** Present when a bundled task was recognised. */
  readonly competence?: Competence;
  readonly correct?: boolean;
  readonly u?: number;
}

/**
 * What the draws depend on: the seed, the question itself (the input values, not the
 * instructions, demos or output fields around them), the rollout id, and the choice index when
 * sampling (temperature > 0). Neither the prompt nor the model name is part of it, so a better
 * prompt or a stronger model raises p without re-rolling u: for the same rollout, improving a
 * lever never turns a right answer wrong.
 */
export function drawKey(request: DemoRequest, key: SampleKey): readonly (string | number | undefined)[] {
  const entries = Object.entries(request.inputs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const question = entries.length > 0 ? JSON.stringify(entries) : request.questionText;
  return [key.seed, question, key.rolloutId, key.temperature > 0 ? key.sampleIndex : undefined];
}

const INSTRUCTION_FIELD = /instruction/i;
const ADVICE_FIELD = /advice|feedback|critique|suggestion|lesson/i;

export function decide(request: DemoRequest, key: SampleKey): Decision {
  const parts = drawKey(request, key);
  const task = recogniseTask(request);
  const judged = judgeInputs(request.inputs, request.outputFields);
  const report = readTestReport(request.inputs);
  const draws = drawsFrom(...parts, "fill");
  const values: Record<string, unknown> = {};
  let attempt: Attempt | undefined;
  let comp: Competence | undefined;
  let correct: boolean | undefined;
  let u: number | undefined;
  if (task && !judged) {
    const answerAt = request.outputFields.findIndex((f) => f.name === task.field);
    const hasReasoning = request.outputFields.slice(0, answerAt).some(isReasoningField);
    comp =
      task.task === "routing" && task.ticket
        ? routingCompetence({ reading: task.ticket, instructions: request.instructions, demos: request.demos, answerField: task.field, hasReasoning, temperature: key.temperature, model: key.model })
        : competence({
            task: task.task as DemoTaskKind,
            steps: task.steps,
            ambiguous: task.ambiguous,
            instructions: request.instructions,
            demoCount: request.demos.length,
            hasReasoning,
            temperature: key.temperature,
            model: key.model,
          });
    u = unitHash(...parts, "answer");
    correct = u < comp.p;
    attempt = correct ? task.right : task.wrong(drawsFrom(...parts, "slip"));
  }
  for (const field of request.outputFields) {
    const schema = (request.schema?.properties as Record<string, unknown> | undefined)?.[field.name];
    const reviewed = report ? reviewValue(field, report) : undefined;
    if (reviewed !== undefined) values[field.name] = reviewed;
    else if (task && attempt && field.name === task.field) values[field.name] = attempt.value;
    else if (attempt && isReasoningField(field)) values[field.name] = attempt.reasoning;
    else if (judged && (field.kind !== "string" || !INSTRUCTION_FIELD.test(field.name))) values[field.name] = judgeValue(field, judged);
    else if (field.kind === "string" && INSTRUCTION_FIELD.test(field.name)) values[field.name] = writeInstruction(request.inputs, draws);
    else if (field.kind === "string" && ADVICE_FIELD.test(field.name)) values[field.name] = writeAdvice(request.inputs, draws);
    else if (isCodeField(field)) values[field.name] = writeCode(request.inputs);
    else values[field.name] = fillGeneric(field, { inputs: request.inputs, draws, schema });
  }
  return { values, competence: comp, correct, u };
}

/** The reply to a request that follows no adapter format: a clearly labelled simulator's answer. */
export function plainReply(request: DemoRequest): string {
  const problem = parseArithmetic(request.questionText);
  if (problem) return `The answer is ${work(problem.start, problem.steps).answer}.`;
  const said = firstWords(request.questionText.replace(/\s+/g, " "), 20);
  return `This is the DSPEx demo model, a simulator without a language model. You wrote: "${said}"`;
}
