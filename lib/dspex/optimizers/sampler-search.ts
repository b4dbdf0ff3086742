import { DspexError } from "../errors";
import type { Sampler } from "../samplers/types";
import type { Config } from "../variables";
import { evaluateBestMinibatchConfig, unverifiedByMinibatchMean } from "./full-evaluation";
import { race } from "./race";
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
    const perTrial = mb ?? ctx.valset.length;
    let done = 0;
    let last = false;
    while (done < this.trials && !study.shouldStop() && !last) {
      // Without minibatches every trial is a full evaluation: the last one the budget allows may
      // use the calls set aside for validating the final candidate (it is then fully scored).
      const free = study.affordableExamples() >= perTrial;
      if (!free && (mb || !study.affords(perTrial, { finalist: true }))) {
        study.budgetLimited(`${this.name}: ${done} of ${this.trials} trials; the budget cannot pay for another`);
        break;
      }
      last = !free;
      if (last) study.budgetLimited(`${this.name}: trial ${done + 1} of ${this.trials} is the last the budget pays for; it uses the calls set aside for the final validation`);
      const k = last ? 1 : Math.min(this.batch, this.trials - done, Math.max(1, Math.floor(study.affordableExamples() / perTrial)));
      const configs: Config[] = [];
      // The sampler learns from validation scores only (not, e.g., bootstrapping runs on training data).
      const onValidation = (t: { set?: string }) => t.set !== "train";
      for (let i = 0; i < k; i++) configs.push(await study.ask(this.options.sampler, { space: ctx.space, pending: configs, trials: onValidation }));
      const outcomes = await Promise.all(
        configs.map((config, i) =>
          study.evaluate(config, mb ? { examples: study.sampleIndices(mb, `minibatch-${done + i}`), meta: { role: "search" } } : { meta: { role: "search" }, ...(last ? { finalist: true } : {}) }),
        ),
      );
      if (outcomes.some((o) => o.refused)) break;
      const before = done;
      done += k;
      if (mb && done < this.trials && Math.floor(done / this.fullEvalEvery) > Math.floor(before / this.fullEvalEvery)) await evaluateBestMinibatchConfig(study);
    }
    if (mb && !study.shouldStop()) {
      // The best unverified configurations race for the final validation (minibatch scores reused).
      const best = study.best("full");
      const outcome = await race(study, { candidates: [...unverifiedByMinibatchMean(study).slice(0, 3), ...(best ? [best.config] : [])], meta: { optimizer: this.name } });
      if (outcome.winner) return { best: outcome.winner };
    }
    return { best: (study.best("full") ?? study.best("any"))?.config ?? ctx.space.defaults() };
  }
}
