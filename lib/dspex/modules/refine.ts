import type { RunContext } from "../context";
import { DspexError } from "../errors";
import { signature } from "../signatures";
import type { Values } from "../signatures/types";
import { Module } from "./module";
import { checkOptionKeys } from "./option-keys";
import { Predict } from "./predict";
import { mapPredictors } from "./predictors";
import { attemptRollout, type Reward } from "./reward";

export interface RefineOptions<I extends Values, O extends Values> {
  readonly n: number;
  readonly reward: Reward<I, O>;
  /** Stop as soon as an attempt reaches this score. */
  readonly threshold: number;
  /** Sampling temperature forced on the attempts after the first (default 1.0). */
  readonly temperature?: number;
}

const ADVISOR = signature(
  'program_inputs: json "what the program was given", program_outputs: json "what it answered", score: number, target: number, earlier_advice: string -> advice: string "concrete advice for the next attempt"',
  {
    instructions:
      "A program's answer scored below its target. Study the inputs and the answer and write short, concrete advice " +
      "that would make the next attempt reach the target. Do not repeat earlier advice that did not help.",
  },
);

/**
 * Runs a module, scores the result, and while it falls short asks an advisor for advice that is
 * added to every predictor's instructions for the next attempt; returns the best attempt.
 */
export class Refine<I extends Values = Values, O extends Values = Values> extends Module<I, O> {
  readonly module: Module<I, O>;
  readonly advisor: Predict;
  readonly options: Readonly<RefineOptions<I, O>>;

  constructor(module: Module<I, O>, options: RefineOptions<I, O>) {
    super();
    checkOptionKeys("Refine", "option", options, ["n", "reward", "threshold", "temperature"]);
    if (!Number.isInteger(options.n) || options.n < 1) throw new DspexError("OPTION_INVALID", `Refine: n must be a positive integer; got ${String(options.n)}`);
    this.module = module;
    this.advisor = new Predict(ADVISOR);
    this.options = Object.freeze({ ...options });
  }

  async forward(inputs: I, ctx: RunContext): Promise<O> {
    const { n, reward, threshold, temperature = 1 } = this.options;
    let best: { outputs: O; score: number } | undefined;
    const advice: string[] = [];
    let lastError: unknown;
    for (let i = 0; i < n; i++) {
      const attempt = advice.length ? withAdvice(this.module, advice.at(-1)!) : this.module;
      const attemptCtx: RunContext = i === 0 ? ctx : { ...ctx, rolloutId: attemptRollout(ctx.rolloutId, "refine", i), overrideSettings: { ...ctx.overrideSettings, temperature } };
      let outputs: O;
      let score: number;
      try {
        outputs = await attempt.run(inputs, attemptCtx);
        score = await reward(inputs, outputs);
      } catch (err) {
        lastError = err;
        continue;
      }
      if (!best || score > best.score) best = { outputs, score };
      if (score >= threshold || i === n - 1) break;
      const advised = await this.advisor.run(
        { program_inputs: inputs, program_outputs: outputs, score, target: threshold, earlier_advice: advice.join("\n") || "(none)" },
        attemptCtx,
      );
      advice.push(String(advised.advice));
    }
    if (!best) throw new DspexError("OUTPUT_INVALID", `Refine: all ${n} attempts failed`, { cause: lastError });
    return best.outputs;
  }
}

function withAdvice<M extends Module>(module: M, advice: string): M {
  return mapPredictors(module, (p) => p.with({ instructions: `${p.instructions}\n\nAdvice from an earlier attempt: ${advice}` }));
}
