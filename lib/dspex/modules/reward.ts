import type { Values } from "../signatures/types";

/** Scores one attempt of a module: higher is better; BestOfN and Refine stop at the threshold. */
export type Reward<I extends Values = Values, O extends Values = Values> = (inputs: I, outputs: O) => number | Promise<number>;

export function attemptRollout(base: string | undefined, name: string, i: number): string {
  return `${base ?? "run"}/${name}-${i}`;
}
