// Recognises a bundled task in a request and reads it with the matching solver: the right answer,
// a typical wrong one, the reasoning behind each, and what makes this example hard.
import type { DemoTaskKind } from "./competence";
import type { DemoField } from "./field-lines";
import type { DemoRequest } from "./read-request";
import type { Draws } from "./seeded-hash";
import { parseArithmetic, work, workWithSlip } from "./solve-arithmetic";
import { readLabels } from "./solve-classify";
import { readQa } from "./solve-qa";
import { findTicket, type TicketReading } from "./routing-tickets";

export interface Attempt {
  readonly value: unknown;
  readonly reasoning: string;
}

export interface TaskAnswer {
  readonly task: DemoTaskKind | "routing";
  /** The output field the answer goes to. */
  readonly field: string;
  readonly steps?: number;
  readonly ambiguous?: boolean;
  readonly right: Attempt;
  wrong(draws: Draws): Attempt;
  /** Set for the routing family: its ticket, whose competence has its own formula. */
  readonly ticket?: TicketReading;
}

const REASONING_FIELD = /reason|rationale|thought|explanation|steps|scratchpad/i;

export function isReasoningField(field: DemoField): boolean {
  return field.kind === "string" && REASONING_FIELD.test(field.name);
}

function byName(inputs: Readonly<Record<string, string>>, pattern: RegExp): string | undefined {
  return Object.entries(inputs).find(([k]) => pattern.test(k))?.[1];
}

function arithmetic(request: DemoRequest): TaskAnswer | undefined {
  const numeric = request.outputFields.find((f) => f.kind === "number" || f.kind === "integer");
  const field = numeric ?? request.outputFields.find((f) => f.kind === "string" && /^(answer|result|solution)$/i.test(f.name));
  if (!field) return undefined;
  // A numeric output may come from any input; a text answer only from a "how many / how much" problem.
  const named = byName(request.inputs, /problem|question/i);
  const texts = numeric ? [named, ...Object.values(request.inputs)] : [named].filter((t) => t && /how (many|much)/i.test(t));
  for (const text of texts) {
    if (text === undefined) continue;
    const problem = parseArithmetic(text);
    if (!problem) continue;
    const right = work(problem.start, problem.steps);
    return {
      task: "arithmetic",
      field: field.name,
      steps: problem.steps.length,
      right: { value: right.answer, reasoning: right.reasoning },
      wrong(draws) {
        const slip = workWithSlip(problem, draws.int(0, problem.steps.length - 1), draws.next() < 0.5 ? "drop" : "misapply");
        return { value: slip.answer, reasoning: slip.reasoning };
      },
    };
  }
  return undefined;
}

function qa(request: DemoRequest): TaskAnswer | undefined {
  const context = byName(request.inputs, /context|passage|document|paragraph|text/i);
  const question = byName(request.inputs, /question|query/i);
  const field = request.outputFields.find((f) => f.kind === "string" && !isReasoningField(f));
  if (context === undefined || question === undefined || !field) return undefined;
  const reading = readQa(context, question);
  if (!reading) return undefined;
  const explain = (answer: string, sentence: string) => `The question asks: ${question.trim()} The passage says: "${sentence}" So the answer is: ${answer}.`;
  return {
    task: "qa",
    field: field.name,
    ambiguous: reading.ambiguous,
    right: { value: reading.answer, reasoning: explain(reading.answer, reading.sentence) },
    wrong() {
      const value = reading.neighbour || "not stated in the context";
      return { value, reasoning: `The question asks: ${question.trim()} The closest statement seems to give: ${value}.` };
    },
  };
}

function classify(request: DemoRequest): TaskAnswer | undefined {
  const field = request.outputFields.find((f) => f.kind === "labels" && f.labels.length > 0);
  if (!field) return undefined;
  const text = Object.values(request.inputs).join("\n");
  const reading = readLabels(text, field.labels);
  if (!reading) return undefined;
  const explain = (label: string) => `The text matches the description of "${label}" best, so it is ${label}.`;
  return {
    task: "classify",
    field: field.name,
    ambiguous: reading.ambiguous,
    right: { value: reading.label, reasoning: explain(reading.label) },
    wrong(draws) {
      const others = field.labels.map((l) => l.value).filter((v) => v !== reading.label);
      const value = reading.confusable !== reading.label ? reading.confusable : others.length ? draws.pick(others) : reading.label;
      return { value, reasoning: explain(value) };
    },
  };
}

function routing(request: DemoRequest): TaskAnswer | undefined {
  const field = request.outputFields.find((f) => f.kind === "labels" && f.labels.length > 0);
  if (!field) return undefined;
  const found = findTicket(Object.values(request.inputs));
  if (!found || !field.labels.some((l) => l.value === found.reading.label)) return undefined;
  const { label, misroute } = found.reading;
  const explain = (queue: string) => `The ticket is about ${queue === label ? "its current issue" : "what it mentions first"}, so it goes to ${queue}.`;
  const wrongLabel = field.labels.some((l) => l.value === misroute) ? misroute : (field.labels.find((l) => l.value !== label)?.value ?? label);
  return {
    task: "routing",
    field: field.name,
    ticket: found.reading,
    right: { value: label, reasoning: explain(label) },
    wrong: () => ({ value: wrongLabel, reasoning: explain(wrongLabel) }),
  };
}

/** The bundled task this request is, checked as a routing ticket, then arithmetic, QA and classification. */
export function recogniseTask(request: DemoRequest): TaskAnswer | undefined {
  return routing(request) ?? arithmetic(request) ?? qa(request) ?? classify(request);
}
