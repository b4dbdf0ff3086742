import { z } from "zod";
import type { Rng } from "../../random";
import type { Config, JsonValue, VariableSpace } from "../../variables";
import { SamplerOptionError } from "../errors";
import { parseOptions } from "../options";
import { scoredTrials } from "../scores";
import type { Sampler, SamplerContext } from "../types";
import { encodeDimension, isSingle, type Dimension } from "./dimensions";
import { planGroups, type VariableGroup } from "./groups";
import { ParzenEstimator, type EstimatorSettings } from "./parzen-estimator";
import { splitTrials, type Observation, type Split } from "./split";
import { defaultGamma, defaultWeights } from "./weights";

export interface TpeSamplerOptions {
  /** Complete trials drawn at random before TPE starts (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from the good density per group; the best l/g wins (default 24). */
  readonly nEiCandidates?: number;
  /**
   * Size of the good group for n complete trials: a function n => count, or a fraction of n
   * (default min(ceil(0.1 n), 25)).
   */
  readonly gamma?: number | ((n: number) => number);
  /** Joint densities over the variables active together (default true), else one per variable. */
  readonly multivariate?: boolean;
  /** Weight of the prior kernel (uniform-ish over the domain) in each density (default 1). */
  readonly priorWeight?: number;
  /** Univariate bandwidths: count the domain ends as neighbours of the outermost points (default false). */
  readonly considerEndpoints?: boolean;
  /** Count running trials as bad, so parallel asks differ (default true). */
  readonly constantLiar?: boolean;
  /** Kernel weight of trials scored by a full evaluation, relative to minibatch ones (default 1). */
  readonly weightFullEvaluations?: number;
}

const GAMMA = "must be a fraction in (0, 1] or a function n => number of good trials (default min(ceil(0.1 n), 25))";

const OptionsSchema = z.strictObject({
  nStartupTrials: z.number().int({ message: "must be a whole number >= 0 (default 10)" }).min(0, { message: "must be a whole number >= 0 (default 10)" }).default(10),
  nEiCandidates: z.number().int({ message: "must be a whole number >= 1 (default 24)" }).min(1, { message: "must be a whole number >= 1 (default 24)" }).default(24),
  gamma: z.union([z.number().gt(0, { message: GAMMA }).lte(1, { message: GAMMA }), z.custom<(n: number) => number>((f) => typeof f === "function", { message: GAMMA })], { message: GAMMA }).optional(),
  multivariate: z.boolean({ message: "must be true or false (default true)" }).default(true),
  priorWeight: z.number().min(0, { message: "must be a number >= 0 (default 1)" }).finite({ message: "must be a number >= 0 (default 1)" }).default(1),
  considerEndpoints: z.boolean({ message: "must be true or false (default false)" }).default(false),
  constantLiar: z.boolean({ message: "must be true or false (default true)" }).default(true),
  weightFullEvaluations: z.number().gt(0, { message: "must be a number > 0 (default 1)" }).finite({ message: "must be a number > 0 (default 1)" }).default(1),
});

type Settings = z.infer<typeof OptionsSchema>;

const CONSTRAINT_REDRAWS = 20;

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011; Optuna's defaults). After the random
 * startup trials, complete trials are split into good and bad by objective (MOTPE for several
 * objectives); for each group of variables active together a Parzen density l is fitted to the
 * good trials and g to the bad ones, candidates are drawn from l, and the one maximizing
 * l(x)/g(x) is proposed. Stateless: the proposal depends only on the context.
 *
 * - Conditional spaces: groups are sampled parents first, only when active; each group is fitted
 *   on the trials where it was active (and drawn at random if it never was).
 * - Running trials count as bad (constant liar) unless constantLiar is false.
 * - Failed and pruned trials, and complete ones without one finite value per objective, are
 *   ignored: they count neither toward the startup trials nor in any density.
 * - Text and demo values outside the current candidates are categories of their own (see
 *   dimensions.ts); values a closed choice no longer accepts are ignored.
 * - Constraints: a proposal that breaks one is drawn again (20 times), then falls back to the
 *   space's own constrained random draw.
 */
export class TpeSampler implements Sampler {
  readonly name = "tpe";
  private readonly settings: Settings;
  private readonly estimator: EstimatorSettings;

  constructor(options: TpeSamplerOptions = {}) {
    this.settings = parseOptions("TpeSampler", OptionsSchema, options);
    this.estimator = { priorWeight: this.settings.priorWeight, multivariate: this.settings.multivariate, considerEndpoints: this.settings.considerEndpoints };
  }

  ask(ctx: SamplerContext): Config {
    const { space, rng } = ctx;
    const scored = scoredTrials(ctx.trials, ctx.objectives);
    if (scored.length === 0 || scored.length < this.settings.nStartupTrials) return space.sample(rng);
    const running = this.settings.constantLiar ? ctx.trials.filter((t) => t.state === "running") : [];
    const split = splitTrials(scored, running, this.goodCount(scored.length), this.settings.weightFullEvaluations);
    const model = new SplitModel(space, split, this.settings, this.estimator);
    for (let attempt = 0; attempt < CONSTRAINT_REDRAWS; attempt++) {
      const config = model.propose(rng);
      if (space.violated(config).length === 0) return config;
    }
    return space.sample(rng);
  }

  private goodCount(n: number): number {
    const gamma = this.settings.gamma;
    const count = gamma === undefined ? defaultGamma(n) : typeof gamma === "number" ? Math.ceil(gamma * n) : gamma(n);
    if (!Number.isFinite(count) || count < 0) throw new SamplerOptionError("TpeSampler", "gamma", count, `must return a number of good trials >= 0 for n = ${n}`);
    return Math.min(n, Math.floor(count));
  }
}

/** The densities of one ask: fitted lazily per group (a branch never opened is never fitted). */
class SplitModel {
  private readonly groups: VariableGroup[];
  private readonly fitted = new Map<VariableGroup, GroupModel | null>();
  private readonly configs: Config[];

  constructor(
    private readonly space: VariableSpace,
    private readonly split: Split,
    private readonly settings: Settings,
    private readonly estimator: EstimatorSettings,
  ) {
    this.groups = planGroups(space, settings.multivariate);
    this.configs = [...split.below, ...split.above].map((o) => o.config);
  }

  propose(rng: Rng): Config {
    const working: Record<string, JsonValue> = {};
    for (const group of this.groups) {
      if (!this.space.isActive(group.variables[0]!.name, working)) continue;
      let model = this.fitted.get(group);
      if (model === undefined) this.fitted.set(group, (model = this.fit(group)));
      if (model === null) for (const v of group.variables) working[v.name] = v.sample(rng);
      else Object.assign(working, model.propose(rng, this.settings.nEiCandidates));
    }
    return this.space.complete(working);
  }

  /** null when no trial ever had this group active: then it is drawn at random. */
  private fit(group: VariableGroup): GroupModel | null {
    const dims = group.variables.map((v) => encodeDimension(v, this.configs));
    const searched = dims.filter((d) => !isSingle(d));
    const nBelow = this.split.below.length;
    const rowsOf = (from: number, to: number) => {
      const rows: number[] = [];
      for (let i = from; i < to; i++) if (searched.every((d) => !Number.isNaN(d.codes[i]!))) rows.push(i);
      return rows;
    };
    const belowRows = rowsOf(0, nBelow);
    const aboveRows = rowsOf(nBelow, this.configs.length);
    if (belowRows.length + aboveRows.length === 0) return null;
    const belowWeights = this.weightsOf(belowRows, this.split.below, 0, this.split.belowWeights);
    const aboveWeights = this.weightsOf(aboveRows, this.split.above, nBelow, null);
    return new GroupModel(dims, searched, new ParzenEstimator(searched, belowRows, belowWeights, this.estimator), new ParzenEstimator(searched, aboveRows, aboveWeights, this.estimator));
  }

  private weightsOf(rows: readonly number[], observations: readonly Observation[], offset: number, given: Float64Array | null): Float64Array {
    const w = given ? Float64Array.from(rows, (r) => given[r - offset]!) : defaultWeights(rows.length);
    rows.forEach((r, i) => (w[i] = w[i]! * observations[r - offset]!.factor));
    return w;
  }
}

class GroupModel {
  constructor(
    private readonly dims: readonly Dimension[],
    private readonly searched: readonly Dimension[],
    private readonly below: ParzenEstimator,
    private readonly above: ParzenEstimator,
  ) {}

  propose(rng: Rng, count: number): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const d of this.dims) if (!this.searched.includes(d)) out[d.variable.name] = d.variable.sample(rng);
    if (this.searched.length === 0) return out;
    const candidates = this.below.sample(count, rng);
    const l = this.below.logPdf(candidates);
    const g = this.above.logPdf(candidates);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < count; c++) {
      const score = l[c]! - g[c]!;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    this.searched.forEach((d, i) => {
      const x = candidates[i]![best]!;
      out[d.variable.name] = d.type === "numeric" ? x : d.choices[x]!;
    });
    return out;
  }
}
