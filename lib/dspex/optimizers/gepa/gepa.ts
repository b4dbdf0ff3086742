import { DspexError } from "../../errors";
import type { Rng } from "../../random";
import { jsonKey, type Config, type JsonValue } from "../../variables";
import { instructionSlots, textSlotNote } from "../bootstrap";
import { findFullTrial } from "../find-full-trial";
import { OptimizerOptionError } from "../optimizer-options";
import { isStopError, reflectionContext } from "../reflection-context";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput, TrialResult } from "../types";
import { EpochBatches } from "./batches";
import { frontReport, type FrontReport } from "./front-report";
import { emptyMergeLog, mergeAccepted, proposeMerge, stratifiedSubsample, type MergeLog } from "./merge";
import { DEFAULT_MAX_FULL_EVALS, parseGepaOptions, type GepaOptions, type ResolvedGepaOptions } from "./options";
import { instanceFronts, objectiveFronts, parentWeights, selectParent, type Fronts } from "./pareto";
import { proposeInstruction, reflectiveRecords, type EvaluatedExample } from "./reflection";

/** A candidate in GEPA's pool: its component texts, lineage and per-example validation scores. */
export interface GepaCandidate {
  readonly id: number;
  readonly config: Config;
  /** Component (instructions variable name) -> text. */
  readonly texts: Readonly<Record<string, string>>;
  readonly parents: readonly number[];
  readonly valScores: readonly number[];
  /** Mean validation score. */
  readonly aggregate: number;
  /** The full evaluation's objective values (quality, cost, ...). */
  readonly values: readonly number[] | undefined;
  readonly trial: number;
  /** Which component this candidate's next reflection rewrites (round robin). */
  nextComponent: number;
}

interface GepaState {
  readonly candidates: GepaCandidate[];
  readonly components: readonly string[];
  metricCalls: number;
  readonly budget: number;
  /** The last candidate was scored from the reserve for the final candidate: the run ends. */
  final: boolean;
  /** Reflective iterations so far (numbers the minibatches and rollout ids). */
  reflections: number;
  readonly merge: { due: number; tested: number; lastFoundNew: boolean; readonly log: MergeLog };
  readonly rng: { readonly select: Rng; readonly merge: Rng; readonly records: Rng };
  readonly batches: EpochBatches;
  readonly batchSize: number;
}

type Outcome = "accepted" | "rejected" | "skipped" | "none" | "stopped";

/**
 * GEPA, reflective prompt evolution (Agrawal et al., 2025): a pool of candidates, each a text
 * per component (the searchable instructions); parents drawn from the per-example Pareto front
 * of validation scores; a reflection model reads a parent's runs with feedback on a small
 * training minibatch and rewrites one component; a child that beats its parent there is scored
 * on the full validation set and joins the pool. Merges combine descendants of a common
 * ancestor that improved different components. Returns the best candidate by mean score.
 */
export class Gepa implements Optimizer {
  readonly name = "gepa";
  readonly options: ResolvedGepaOptions;

  constructor(options: GepaOptions = {}) {
    this.options = parseGepaOptions(options);
  }

  /** The budget in metric calls for these data sizes. */
  metricCallBudget(trainSize: number, valSize: number): number {
    return this.options.maxMetricCalls ?? (this.options.maxFullEvals ?? DEFAULT_MAX_FULL_EVALS) * (trainSize + valSize);
  }

  plan(input: PlanInput) {
    const budget = this.metricCallBudget(input.trainSize, input.valSize);
    const mb = this.options.minibatchSize;
    const iterations = Math.ceil(Math.max(0, budget - input.valSize) / (2 * mb));
    return {
      lmCalls: Math.max(0, budget - input.valSize) * input.callsPerRun + iterations,
      trials: 2 * iterations,
      notes: [`${budget} metric calls (the seed's ${input.valSize} included)`, `about ${iterations} reflective iterations at most, one reflection call each`],
    };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    const components = instructionSlots(ctx.space)
      .filter((s) => ctx.space.isActive(s.name, ctx.space.defaults()))
      .map((s) => s.name);
    if (components.length === 0) {
      ctx.log("GEPA: no searchable instructions; nothing to evolve");
      return { best: ctx.space.defaults() };
    }
    if (ctx.trainset.length === 0) throw new DspexError("OPTION_INVALID", "GEPA: the training set is empty; give trainset examples to reflect on");
    const reference = this.options.referencePoint;
    if (reference && reference.length !== ctx.study.objectives.length) {
      throw new OptimizerOptionError("GEPA", "referencePoint", reference, `needs one value per objective (${ctx.study.objectives.map((o) => o.name).join(", ")})`);
    }
    const state = this.initialState(ctx, components);
    const seed = await this.addCandidate(ctx, state, ctx.space.defaults(), [], { role: "seed" });
    if (!seed) return { best: ctx.space.defaults() };
    await this.loop(ctx, state);
    return this.outcome(ctx, state);
  }

  private initialState(ctx: OptimizerContext, components: readonly string[]): GepaState {
    return {
      candidates: [],
      components,
      metricCalls: 0,
      final: false,
      budget: this.metricCallBudget(ctx.trainset.length, ctx.valset.length),
      reflections: 0,
      merge: { due: 0, tested: 0, lastFoundNew: false, log: emptyMergeLog() },
      rng: { select: ctx.rng.fork("gepa-select"), merge: ctx.rng.fork("gepa-merge"), records: ctx.rng.fork("gepa-records") },
      batches: new EpochBatches(ctx.trainset.length, Math.min(this.options.minibatchSize, ctx.trainset.length), ctx.rng.fork("gepa-batches")),
      batchSize: Math.min(this.options.minibatchSize, ctx.trainset.length),
    };
  }

  private async loop(ctx: OptimizerContext, state: GepaState): Promise<void> {
    const o = this.options;
    while (state.metricCalls < state.budget && !ctx.study.shouldStop()) {
      // An iteration scores a parent and a child on a minibatch; a child that passes needs a full
      // evaluation, which may come from the reserve for the final candidate (then the run ends).
      if (!ctx.study.affords(2 * state.batchSize) || !ctx.study.affords(ctx.valset.length, { finalist: true })) {
        ctx.study.budgetLimited(`GEPA: ${state.reflections} iterations, ${state.candidates.length} candidates; the budget cannot pay for another iteration`);
        return;
      }
      if (o.useMerge && state.merge.due > 0 && state.merge.lastFoundNew) {
        state.merge.lastFoundNew = false;
        const merged = await this.tryMerge(ctx, state);
        if (merged === "stopped") return;
        if (merged !== "none") continue;
      }
      state.merge.lastFoundNew = false;
      const outcome = await this.reflect(ctx, state);
      if (outcome === "stopped" || state.final) return;
      if (outcome === "accepted") {
        state.merge.lastFoundNew = true;
        if (state.merge.tested < o.maxMergeInvocations) state.merge.due++;
      }
    }
  }

  /** The fronts parents are drawn from. */
  private fronts(state: GepaState, objectives: OptimizerContext["study"]["objectives"]): Fronts {
    const kind = this.options.frontier ?? (objectives.length > 1 ? "hybrid" : "instance");
    const byExample = kind === "objective" ? new Map() : instanceFronts(state.candidates.map((c) => c.valScores));
    const byObjective = kind === "instance" ? new Map() : objectiveFronts(state.candidates.map((c) => c.values), objectives);
    return new Map([...byExample, ...byObjective]);
  }

  /** One reflective iteration: parent, minibatch run with traces, reflection, child test. */
  private async reflect(ctx: OptimizerContext, state: GepaState): Promise<Outcome> {
    const iteration = state.reflections++;
    const aggregates = state.candidates.map((c) => c.aggregate);
    const parent = state.candidates[selectParent(state.rng.select, this.fronts(state, ctx.study.objectives), aggregates)]!;
    const batch = state.batches.at(iteration);
    const meta = { optimizer: "gepa", iteration, parent: parent.id };
    const run = await ctx.study.evaluate(parent.config, { examples: batch, set: "train", details: true, meta: { ...meta, role: "parent-minibatch" } });
    if (run.refused) return "stopped";
    state.metricCalls += batch.length;
    if (run.result.state === "pruned") return "stopped";
    if (run.result.state !== "complete") return "skipped";
    const scores = run.result.scores!;
    if (this.options.skipPerfectScore && scores.every((s) => s >= this.options.perfectScore)) return "skipped";

    const component = state.components[parent.nextComponent % state.components.length]!;
    parent.nextComponent = (parent.nextComponent + 1) % state.components.length;
    const evaluated: EvaluatedExample[] = batch.map((k, j) => ({
      example: ctx.trainset[k]!,
      outputs: run.details?.outputs[j],
      trace: run.details?.traces[j],
      score: scores[j]!,
      feedback: run.result.feedback?.[j] ?? null,
    }));
    const slot = instructionSlots(ctx.space).find((s) => s.name === component);
    const program = ctx.space.apply(ctx.program, parent.config);
    const records = reflectiveRecords(program, slot?.step ?? "", evaluated, this.options.perfectScore, state.rng.records);
    if (records.length === 0) return "skipped";

    let text: string;
    try {
      text = await proposeInstruction(parent.texts[component]!, records, reflectionContext(ctx, `gepa-reflect-${iteration}`), slot ? textSlotNote(slot) : undefined);
    } catch (err) {
      if (isStopError(err) || ctx.study.shouldStop()) return "stopped";
      ctx.log(`GEPA iteration ${iteration + 1}: reflection failed (${err instanceof Error ? err.message : String(err)})`);
      return "skipped";
    }
    if (!text || text === parent.texts[component]) return "skipped";

    const child = ctx.space.complete({ ...parent.config, [component]: text });
    if (this.inPool(state, child)) {
      ctx.log(`GEPA iteration ${iteration + 1}: the proposal for ${component} is already a candidate; skipped`);
      return "skipped";
    }
    const test = await ctx.study.evaluate(child, { examples: batch, set: "train", meta: { ...meta, role: "child-minibatch", component } });
    if (test.refused) return "stopped";
    state.metricCalls += batch.length;
    if (test.result.state === "pruned") return "stopped";
    if (test.result.state !== "complete" || !improves(scores, test.result.scores!)) {
      ctx.log(`GEPA iteration ${iteration + 1}: child of #${parent.id} (${component}) rejected on the minibatch`);
      return "rejected";
    }
    const added = await this.addCandidate(ctx, state, child, [parent.id], { role: "candidate", iteration, component });
    return added ? "accepted" : "stopped";
  }

  /** One merge attempt: "none" when no pair qualifies. */
  private async tryMerge(ctx: OptimizerContext, state: GepaState): Promise<Outcome> {
    const aggregates = state.candidates.map((c) => c.aggregate);
    const dominators = [...parentWeights(this.fronts(state, ctx.study.objectives), aggregates).keys()];
    const lineage = { texts: state.candidates.map((c) => c.texts), parents: state.candidates.map((c) => c.parents), aggregates };
    const proposal = proposeMerge(state.rng.merge, lineage, dominators, state.merge.log);
    if (!proposal) return "none";
    const [a, b] = [state.candidates[proposal.first]!, state.candidates[proposal.second]!];
    const subsample = stratifiedSubsample(state.rng.merge, a.valScores, b.valScores, Math.min(this.options.mergeSubsampleSize, ctx.valset.length));
    const config = ctx.space.complete({ ...state.candidates[proposal.ancestor]!.config, ...proposal.texts });
    if (this.inPool(state, config)) return "none";
    const meta = { optimizer: "gepa", parents: [a.id, b.id], ancestor: proposal.ancestor };
    const test = await ctx.study.evaluate(config, { examples: subsample, set: "val", meta: { ...meta, role: "merge-subsample" } });
    if (test.refused) return "stopped";
    state.metricCalls += subsample.length;
    if (test.result.state === "pruned") return "stopped";
    const ok = test.result.state === "complete" && mergeAccepted(test.result.scores!, subsample.map((k) => a.valScores[k]!), subsample.map((k) => b.valScores[k]!));
    ctx.log(`GEPA: merge of #${a.id} and #${b.id} (ancestor #${proposal.ancestor}) ${ok ? "accepted" : "rejected"} on ${subsample.length} validation examples`);
    if (!ok) return "rejected";
    const added = await this.addCandidate(ctx, state, config, [a.id, b.id], { role: "merge", ancestor: proposal.ancestor });
    if (!added) return "stopped";
    state.merge.due--;
    state.merge.tested++;
    return "accepted";
  }

  /** Whether a configuration is already in the pool (the pool never holds the same candidate twice). */
  private inPool(state: GepaState, config: Config): boolean {
    const key = jsonKey(config);
    return state.candidates.some((c) => jsonKey(c.config) === key);
  }

  /**
   * Scores a candidate on the full validation set (reusing scores of the same configuration) and
   * adds it to the pool. When only the calls set aside for the final candidate can pay for it,
   * it is scored from them and becomes the last candidate of the run.
   */
  private async addCandidate(ctx: OptimizerContext, state: GepaState, config: Config, parents: number[], extra: Record<string, JsonValue>): Promise<GepaCandidate | undefined> {
    const id = state.candidates.length;
    let trial: TrialResult | undefined = findFullTrial(ctx.study, config);
    if (!trial) {
      const missing = ctx.valset.length - ctx.study.scoresOf(config).size;
      const finalist = id > 0 && !ctx.study.affords(missing);
      const run = await ctx.study.evaluate(config, { meta: { optimizer: "gepa", candidate: id, parents, ...extra }, ...(finalist ? { finalist: true } : {}) });
      if (run.refused) return undefined;
      trial = run.result;
      if (finalist) state.final = true;
      state.metricCalls += ctx.valset.length;
    } else if (id === 0) state.metricCalls += ctx.valset.length;
    if (trial.state !== "complete" || !trial.scores) return undefined;
    const texts = Object.fromEntries(state.components.map((c) => [c, String(config[c] ?? "")]));
    const nextComponent = Math.max(0, ...parents.map((p) => state.candidates[p]!.nextComponent));
    const candidate: GepaCandidate = { id, config, texts, parents, valScores: trial.scores, aggregate: trial.score!, values: trial.values, trial: trial.number, nextComponent };
    state.candidates.push(candidate);
    if (id > 0) ctx.log(`GEPA: candidate #${id} (parents ${parents.map((p) => `#${p}`).join(", ")}) scores ${trial.score!.toFixed(3)} on the validation set`);
    return candidate;
  }

  private outcome(ctx: OptimizerContext, state: GepaState): OptimizerOutcome {
    const best = state.candidates.reduce((b, c) => (c.aggregate > b.aggregate ? c : b));
    const notes = [
      `${state.candidates.length} candidates, ${state.metricCalls} of ${state.budget} metric calls; best #${best.id} with ${best.aggregate.toFixed(3)}`,
      ...state.candidates.slice(1).map((c) => `#${c.id} (from ${c.parents.map((p) => `#${p}`).join("+")}): ${c.aggregate.toFixed(3)} ${JSON.stringify(c.texts)}`),
    ];
    if (ctx.study.objectives.length > 1) {
      const report = this.paretoReport(ctx, state);
      const line = `Pareto front over ${ctx.study.objectives.map((o) => o.name).join(", ")}: ${report.front.map((p) => `#${p.id} [${p.values.map((v) => v.toPrecision(4)).join(", ")}]`).join(", ")}; hypervolume ${report.hypervolume.toPrecision(4)} (reference [${report.reference.join(", ")}])`;
      ctx.log(`GEPA: ${line}`);
      notes.push(line);
    }
    return { best: best.config, notes };
  }

  /** The candidates' front over the study's objectives and its hypervolume. */
  private paretoReport(ctx: Pick<OptimizerContext, "study">, state: Pick<GepaState, "candidates">): FrontReport {
    const points = state.candidates.filter((c) => c.values).map((c) => ({ id: c.id, values: c.values! }));
    return frontReport(points, ctx.study.objectives, this.options.referencePoint);
  }
}

/** GEPA's acceptance rule: the child's minibatch sum strictly beats the parent's on the same examples. */
export function improves(parent: readonly number[], child: readonly number[]): boolean {
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  return sum(child) > sum(parent);
}
