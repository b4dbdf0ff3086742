import type { RunContext } from "../context";
import { DspexError } from "../errors";
import { promptContext } from "./proposals";
import type { OptimizerContext } from "./types";

/**
 * The run context for one sampled call of an optimizer's own prompt (a reflection, a rule): the
 * journaled prompt model without the task's settings, and a rollout id of its own, so each call
 * is a fresh sample yet is replayed from the journal when a run resumes.
 */
export function reflectionContext(ctx: Pick<OptimizerContext, "study" | "promptLM">, rolloutId: string): RunContext {
  return { ...promptContext(ctx.study, ctx.promptLM), rolloutId };
}

/** An error that means "stop now" (budget spent, run aborted) rather than "this proposal failed". */
export function isStopError(err: unknown): boolean {
  return err instanceof DspexError && (err.code === "BUDGET_EXCEEDED" || err.code === "ABORTED");
}
