import type { RunContext } from "../context";
import { DspexError } from "../errors";
import type { Values } from "../signatures/types";
import { Module } from "./module";
import { checkOptionKeys } from "./option-keys";
import { attemptRollout, type Reward } from "./reward";

export interface BestOfNOptions<I extends Values, O extends Values> {
  /** Attempts at most. */
  readonly n: number;
  readonly reward: Reward<I, O>;
  /** Stop at the first attempt scoring at least this (default: never stop early). */
  readonly threshold?: number;
  /** Sampling temperature forced on every attempt (default 1.0, so attempts differ). */
  readonly temperature?: number;
  /** Failed attempts tolerated before giving up (default: n, i.e. all may fail but one). */
  readonly failCount?: number;
}

/** Runs a module up to n times, each a fresh sample, and returns the attempt the reward liked best. */
export class BestOfN<I extends Values = Values, O extends Values = Values> extends Module<I, O> {
  readonly module: Module<I, O>;
  readonly options: Readonly<BestOfNOptions<I, O>>;

  constructor(module: Module<I, O>, options: BestOfNOptions<I, O>) {
    super();
    checkOptionKeys("BestOfN", "option", options, ["n", "reward", "threshold", "temperature", "failCount"]);
    if (!Number.isInteger(options.n) || options.n < 1) throw new DspexError("OPTION_INVALID", `BestOfN: n must be a positive integer; got ${String(options.n)}`);
    this.module = module;
    this.options = Object.freeze({ ...options });
  }

  async forward(inputs: I, ctx: RunContext): Promise<O> {
    const { n, reward, threshold = Number.POSITIVE_INFINITY, temperature = 1, failCount = n } = this.options;
    let best: { outputs: O; score: number } | undefined;
    const errors: string[] = [];
    for (let i = 0; i < n; i++) {
      const attemptCtx: RunContext = {
        ...ctx,
        rolloutId: attemptRollout(ctx.rolloutId, "best-of-n", i),
        overrideSettings: { ...ctx.overrideSettings, temperature },
      };
      try {
        const outputs = await this.module.run(inputs, attemptCtx);
        const score = await reward(inputs, outputs);
        if (!best || score > best.score) best = { outputs, score };
        if (score >= threshold) break;
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err));
        if (errors.length > failCount || (errors.length === n && !best)) {
          throw new DspexError("OUTPUT_INVALID", `BestOfN: ${errors.length} of ${i + 1} attempts failed; last: ${errors.at(-1)}`, { cause: err });
        }
      }
    }
    if (!best) throw new DspexError("OUTPUT_INVALID", `BestOfN: every attempt failed; last: ${errors.at(-1) ?? "unknown"}`);
    return best.outputs;
  }
}
