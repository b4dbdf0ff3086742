import type { RunContext } from "../../context";
import type { LM } from "../../lm/types";
import type { Study } from "../study";

/**
 * The run context for an optimizer's own prompts (proposals, summaries, reflections): the
 * study's adapter and signal with the given model, without the task's default or forced settings.
 */
export function promptContext(study: Study, lm: LM): RunContext {
  const base = study.contextFor(lm);
  return {
    lm,
    ...(base.adapter ? { adapter: base.adapter } : {}),
    ...(base.fallbackAdapter !== undefined ? { fallbackAdapter: base.fallbackAdapter } : {}),
    ...(base.signal ? { signal: base.signal } : {}),
    ...(base.maxRetries !== undefined ? { maxRetries: base.maxRetries } : {}),
    ...(base.timeoutMs !== undefined ? { timeoutMs: base.timeoutMs } : {}),
  };
}
