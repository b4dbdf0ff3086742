import { DspexError } from "../errors";
import type { Sampler } from "../samplers/types";
import type { Config } from "../variables";
import { evaluateBestMinibatchConfig } from "./full-evaluation";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "./types";

export interface SamplerSearchOptions {
  readonly sampler: Sampler;
  /** Trials to run (default 30). */
  readonly trials?: number;
  /** Examples per trial; default: the full validation set up to 50 examples, else minibatches of 35. */
  readonly minibatchSize?: number;
  /** With minibatches, score the best configuration on the full set every this many trials (default 5). */
  readonly fullEvalEvery?: number;
  /** Trials proposed and evaluated at once (default 1; more uses the sampler's view of running trials). */
  readonly batch?: number;
}

/** Any sampler (random, TPE, genetic) searching any variables through the trial protocol. */
export class SamplerSearch implements Optimizer {
  readonly name: string;
  private readonly trials: number;
  private readonly batch: number;
  private readonly fullEvalEvery: number;

  constructor(private readonly options: SamplerSearchOptions) {
    this.name = `search:${options.sampler.name}`;
    this.trials = options.trials ?? 30;
    this.batch = options.batch ?? 1;
    this.fullEvalEvery = options.fullEvalEvery ?? 5;
    for (const [key, value] of Object.entries({ trials: this.trials, batch: this.batch, fullEvalEvery: this.fullEvalEvery })) {
      if (!Number.isInteger(value) || value < 1) throw new DspexError("OPTION_INVALID", `SamplerSearch: ${key} must be a positive integer (got ${String(value)})`);
    }
  }

  private minibatch(valSize: number): number | undefined {
    const size = this.options.minibatchSize ?? (valSize > 50 ? 35 : undefined);
    return size !== undefined && size < valSize ? size : undefined;
  }

  plan(input: PlanInput) {
    const mb = this.minibatch(input.valSize);
    const perTrial = (mb ?? input.valSize) * input.callsPerRun;
    const fulls = mb ? Math.ceil(this.trials / this.fullEvalEvery) * input.valSize * input.callsPerRun : 0;
    return { lmCalls: this.trials * perTrial + fulls, trials: this.trials + (mb ? Math.ceil(this.trials / this.fullEvalEvery) : 0) };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    const { study } = ctx;
    const mb = this.minibatch(ctx.valset.length);
    let done = 0;
    while (done < this.trials && !study.shouldStop()) {
      const k = Math.min(this.batch, this.trials - done);
      const configs: Config[] = [];
      // The sampler learns from validation scores only (not, e.g., bootstrapping runs on training data).
      const onValidation = (t: { set?: string }) => t.set !== "train";
      for (let i = 0; i < k; i++) configs.push(await study.ask(this.options.sampler, { space: ctx.space, pending: configs, trials: onValidation }));
      await Promise.all(
        configs.map((config, i) =>
          study.evaluate(config, mb ? { examples: study.sampleIndices(mb, `minibatch-${done + i}`), meta: { role: "search" } } : { meta: { role: "search" } }),
        ),
      );
      const before = done;
      done += k;
      if (mb && Math.floor(done / this.fullEvalEvery) > Math.floor(before / this.fullEvalEvery)) await evaluateBestMinibatchConfig(study);
    }
    if (mb) await evaluateBestMinibatchConfig(study);
    return { best: (study.best("full") ?? study.best("any"))?.config ?? ctx.space.defaults() };
  }
}
