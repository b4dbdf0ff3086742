// Supervisor-worker: a job is split into items (by a function or a supervisor agent), the items
// fan out to worker agents concurrently, and their outputs fan back in (merged the same two ways).
import type { DispatchOptions, TaskResult, Team } from "../team";

/** A step done either in process or by an agent with that capability. */
export type Step<A, B> = ((input: A) => B | Promise<B>) | { readonly capability: string; readonly type?: string };

export interface FanOutOptions<T = unknown> {
  /** What the workers must be able to do. */
  readonly capability: string;
  readonly type?: string;
  /** Turns the job into items (default: the job must already be an array of items). */
  readonly split?: Step<T, readonly unknown[]>;
  /** Combines the workers' outputs, in item order (default: the array of outputs). */
  readonly merge?: Step<readonly unknown[], unknown>;
  /** Items in flight at once (default: all). */
  readonly concurrency?: number;
  readonly dispatch?: DispatchOptions;
}

async function runStep<A, B>(team: Team, step: Step<A, B>, input: A, options?: DispatchOptions): Promise<B> {
  if (typeof step === "function") return step(input);
  const result = await team.dispatch<B>({ capability: step.capability, ...(step.type && { type: step.type }), payload: input }, options);
  return result.output;
}

export async function fanOut<T>(team: Team, job: T, options: FanOutOptions<T>): Promise<{ output: unknown; results: TaskResult[] }> {
  const items = options.split ? await runStep(team, options.split, job, options.dispatch) : (job as unknown as readonly unknown[]);
  const results: TaskResult[] = new Array<TaskResult>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await team.dispatch({ capability: options.capability, ...(options.type && { type: options.type }), payload: items[i] }, options.dispatch);
    }
  };
  const width = Math.max(1, Math.min(options.concurrency ?? items.length, items.length));
  await Promise.all(Array.from({ length: width }, worker));
  const outputs = results.map((r) => r.output);
  const output = options.merge ? await runStep(team, options.merge, outputs, options.dispatch) : outputs;
  return { output, results };
}
