// Pipeline: each stage's output is the next stage's input, each stage done by a capable agent.
import type { DispatchOptions, TaskResult, Team } from "../team";

export interface PipelineStage {
  readonly capability: string;
  readonly type?: string;
  /** Shapes the previous output into this stage's payload (default: passed as is). */
  readonly map?: (previous: unknown) => unknown;
}

/** Runs the stages in order; resolves with the last output and every stage's result. */
export async function pipeline(team: Team, stages: readonly PipelineStage[], input: unknown, options: DispatchOptions = {}): Promise<{ output: unknown; steps: TaskResult[] }> {
  const steps: TaskResult[] = [];
  let value = input;
  for (const stage of stages) {
    const result = await team.dispatch({ capability: stage.capability, ...(stage.type && { type: stage.type }), payload: stage.map ? stage.map(value) : value }, options);
    steps.push(result);
    value = result.output;
  }
  return { output: value, steps };
}
