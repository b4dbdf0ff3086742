// Why the demo model answers a request the way it does: the task it recognised, the competence
// and its parts, the draw, and whether the answer is the solver's right one. For tests, docs and
// the dashboard; it makes no call and takes no time.
import type { LMRequest } from "../lm/types";
import type { Competence, DemoTaskKind } from "./competence";
import { decide } from "./decide";
import { DEFAULT_DEMO_MODEL, demoModelProfile } from "./models";
import { type DemoDialect, readDemoRequest } from "./read-any-request";
import { recogniseTask } from "./task-answer";

export interface DemoExplanation {
  readonly task?: DemoTaskKind | "routing";
  readonly instructions: string;
  readonly demoCount: number;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputFields: readonly string[];
  readonly format: "json" | "markers" | "plain";
  /** Whose prompt format the request was in: DSPEx's adapters or Ax's template. */
  readonly dialect: DemoDialect;
  readonly competence?: Competence;
  /** The draw compared with competence.p: the answer is right when u < p. */
  readonly u?: number;
  readonly correct?: boolean;
  /** The values the first choice carries. */
  readonly values: Readonly<Record<string, unknown>>;
}

export function explainDemoReply(request: LMRequest, options: { seed?: number; sampleIndex?: number } = {}): DemoExplanation {
  const reading = readDemoRequest(request);
  const parsed = reading.request;
  const modelName = request.model ?? DEFAULT_DEMO_MODEL;
  const decision = decide(parsed, {
    seed: options.seed ?? 0,
    model: demoModelProfile(modelName),
    temperature: request.temperature ?? 0,
    rolloutId: request.rolloutId,
    sampleIndex: options.sampleIndex ?? 0,
  });
  return {
    task: recogniseTask(parsed)?.task,
    instructions: parsed.instructions,
    demoCount: parsed.demos.length,
    inputs: parsed.inputs,
    outputFields: parsed.outputFields.map((f) => f.name),
    dialect: reading.dialect,
    format: parsed.plain ? "plain" : parsed.wantsJson ? "json" : "markers",
    competence: decision.competence,
    u: decision.u,
    correct: decision.correct,
    values: decision.values,
  };
}
