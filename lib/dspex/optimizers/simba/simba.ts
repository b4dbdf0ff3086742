import { DspexError } from "../../errors";
import type { Rng } from "../../random";
import type { RunTrace } from "../../trace";
import { jsonKey, programSteps, type Config } from "../../variables";
import { findFullTrial } from "../find-full-trial";
import { race } from "../race";
import { isStopError, reflectionContext } from "../reflection-context";
import { stepTraces } from "../step-traces";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { writeAdvice, type AdviceRun } from "./advice";
import { BatchWalk } from "./batches";
import { groupByExample, percentile, sortBuckets, type Bucket, type ScoredRun } from "./buckets";
import { appendAdvice, appendDemos, dropDemos, simbaTargets, trajectoryDemos, type SimbaTargets } from "./candidates";
import { parseSimbaOptions, type ResolvedSimbaOptions, type SimbaOptions } from "./options";
import { finalistPositions, meanScore, softmaxPick, topKPlusBaseline, type SimbaProgram } from "./pool";

/** One sampled run of a program on a training example, with what reflection needs. */
interface SampledRun extends ScoredRun {
  readonly config: Config;
  readonly outputs: Readonly<Record<string, unknown>> | undefined;
  readonly trace: RunTrace | undefined;
  readonly feedback: string | null;
}

type Strategy = "demo" | "rule";

interface Candidate {
  readonly config: Config;
  readonly source: number;
  readonly strategy: Strategy;
  /** False when the strategy's conditions did not hold (the candidate only dropped demos). */
  readonly applied: boolean;
}

interface SimbaState {
  readonly programs: SimbaProgram[];
  /** The best new candidate of each step, after the baseline (program 0). */
  readonly winners: number[];
}

interface StepInput {
  readonly step: number;
  readonly batch: readonly number[];
  readonly targets: SimbaTargets;
  readonly strategies: readonly Strategy[];
  readonly rng: Rng;
}

/**
 * SIMBA, stochastic introspective mini-batch ascent (DSPy's SIMBA). Each step samples runs of
 * the best programs so far on a training minibatch at a high LM temperature, finds the examples
 * whose outcome varies most, and builds new candidates from them: a successful run becomes a
 * demo, or the prompt model compares a better and a worse run and writes advice appended to
 * the instructions. Candidates are scored on the same minibatch; the step winners spread over
 * the run are scored on the full validation set at the end. Only searchable instructions and
 * demo-set variables are changed.
 */
export class Simba implements Optimizer {
  readonly name = "simba";
  readonly options: ResolvedSimbaOptions;

  constructor(options: SimbaOptions = {}) {
    this.options = parseSimbaOptions(options);
  }

  plan(input: PlanInput) {
    const o = this.options;
    const batch = Math.min(o.batchSize, Math.max(1, input.trainSize));
    const rules = o.numCandidates * simbaTargets(input.space).instructions.size;
    const finalists = Math.min(o.maxSteps, o.numCandidates);
    const perStep = 2 * o.numCandidates * batch * input.callsPerRun + rules;
    return {
      lmCalls: o.maxSteps * perStep + finalists * input.valSize * input.callsPerRun,
      trials: o.maxSteps * 2 * o.numCandidates + finalists,
      notes: [
        `${o.maxSteps} steps × (${o.numCandidates} sampled runs + ${o.numCandidates} candidates) on ${batch} training examples`,
        `at most ${rules} rule-writing calls per step`,
        `${finalists} step winners scored on the full validation set`,
      ],
    };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    const targets = simbaTargets(ctx.space);
    const strategies = this.strategies(targets);
    if (strategies.length === 0) {
      ctx.log("SIMBA: no searchable instructions or demo sets (or maxDemos is 0 with no instructions); nothing to change");
      return { best: ctx.space.defaults() };
    }
    if (ctx.trainset.length === 0) throw new DspexError("OPTION_INVALID", "SIMBA: the training set is empty; give trainset examples to draw minibatches from");
    const batchSize = Math.min(this.options.batchSize, ctx.trainset.length);
    if (batchSize < this.options.batchSize) ctx.log(`SIMBA: the training set has ${ctx.trainset.length} examples; minibatches use all of them (batchSize ${this.options.batchSize})`);

    const defaults = ctx.space.defaults();
    const state: SimbaState = { programs: [{ id: 0, config: defaults, scores: findFullTrial(ctx.study, defaults)?.scores ?? [] }], winners: [0] };
    const batches = new BatchWalk(ctx.trainset.length, batchSize, ctx.rng.fork("simba-batches"));
    const perStep = Math.ceil(2 * this.options.numCandidates * batchSize * ctx.study.callsPerExample()) + this.options.numCandidates * targets.instructions.size;
    // What racing two step winners needs before its last rung (paid from the reserve).
    const raceFloor = 2 * Math.min(5, ctx.valset.length) * ctx.study.callsPerExample();
    for (let step = 0; step < this.options.maxSteps && !ctx.study.shouldStop(); step++) {
      if (ctx.study.headroom() < perStep + raceFloor) {
        ctx.study.budgetLimited(`SIMBA: ${step} of ${this.options.maxSteps} steps; the budget cannot pay for another step (about ${perStep} calls) and the race of the winners`);
        break;
      }
      const input: StepInput = { step, batch: batches.next(), targets, strategies, rng: ctx.rng.fork(`simba-step-${step}`) };
      if (!(await this.step(ctx, state, input))) break;
    }
    return this.finish(ctx, state);
  }

  private strategies(targets: SimbaTargets): Strategy[] {
    const out: Strategy[] = [];
    if (this.options.maxDemos > 0 && targets.demos.size > 0) out.push("demo");
    if (targets.instructions.size > 0) out.push("rule");
    return out;
  }

  /** One step; false when the run must end (budget spent, aborted). */
  private async step(ctx: OptimizerContext, state: SimbaState, input: StepInput): Promise<boolean> {
    const runs = await this.sampleRuns(ctx, state, input);
    if (!runs) return false;
    const scores = runs.map((r) => r.score);
    ctx.log(`SIMBA step ${input.step + 1}: ${runs.length} sampled runs, mean ${(scores.reduce((s, x) => s + x, 0) / Math.max(1, scores.length)).toFixed(3)}`);
    const buckets = sortBuckets(groupByExample(runs, input.batch));
    const candidates = await this.buildCandidates(ctx, state, input, buckets, percentile(scores, 10), percentile(scores, 90));
    if (!candidates) return false;
    return this.scoreCandidates(ctx, state, input, candidates);
  }

  /** Runs the minibatch through programs drawn by softmax from the top-k plus the baseline. */
  private async sampleRuns(ctx: OptimizerContext, state: SimbaState, input: StepInput): Promise<SampledRun[] | undefined> {
    const o = this.options;
    const rng = input.rng.fork("sample");
    const top = topKPlusBaseline(state.programs, o.numCandidates);
    const picks = Array.from({ length: o.numCandidates }, () => softmaxPick(rng, state.programs, top, o.samplingTemperature));
    const results = await Promise.all(
      picks.map((id, rollout) =>
        ctx.study.evaluate(state.programs[id]!.config, {
          examples: input.batch,
          set: "train",
          details: true,
          rolloutId: `simba-${input.step}-${rollout}`,
          overrideSettings: { temperature: o.lmTemperature },
          meta: { optimizer: "simba", role: "sample", step: input.step, rollout, program: id },
        }),
      ),
    );
    if (results.some((r) => r.refused || r.result.state === "pruned")) return undefined;
    return results.flatMap(({ result, details }, rollout) =>
      result.state !== "complete"
        ? []
        : input.batch.map((example, j) => ({
            example,
            score: result.scores![j]!,
            config: state.programs[picks[rollout]!]!.config,
            outputs: details?.outputs[j],
            trace: details?.traces[j],
            feedback: result.feedback?.[j] ?? null,
          })),
    );
  }

  /** New candidates from the most variable examples; undefined when the run must end. */
  private async buildCandidates(ctx: OptimizerContext, state: SimbaState, input: StepInput, buckets: readonly Bucket<SampledRun>[], p10: number, p90: number): Promise<Candidate[] | undefined> {
    const o = this.options;
    const rng = input.rng.fork("candidates");
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const [index, bucket] of buckets.entries()) {
      if (out.length >= o.numCandidates) break;
      if (ctx.study.shouldStop()) return undefined;
      const source = softmaxPick(rng, state.programs, topKPlusBaseline(state.programs, o.numCandidates), o.candidateTemperature);
      const dropped = dropDemos(state.programs[source]!.config, input.targets, rng, o.maxDemos).config;
      const strategy = rng.pick(input.strategies);
      let built: { config: Config; applied: boolean };
      try {
        built = strategy === "demo" ? this.appendDemo(ctx, input.targets, bucket, dropped, p10) : await this.appendRule(ctx, input, bucket, dropped, { p10, p90, index });
      } catch (err) {
        if (isStopError(err) || ctx.study.shouldStop()) return undefined;
        ctx.log(`SIMBA: the ${strategy} strategy failed on a bucket (${err instanceof Error ? err.message : String(err)}); trying the next one`);
        continue;
      }
      const config = ctx.space.complete(built.config);
      const key = jsonKey(config);
      if (seen.has(key) || !ctx.space.validate(config).ok) continue;
      seen.add(key);
      out.push({ config, source, strategy, applied: built.applied });
    }
    return out;
  }

  /** The demo strategy: the bucket's best run becomes a demo of each step (if it beats the batch's 10th percentile). */
  private appendDemo(ctx: OptimizerContext, targets: SimbaTargets, bucket: Bucket<SampledRun>, config: Config, p10: number): { config: Config; applied: boolean } {
    const good = bucket.runs[0]!;
    if (good.score < p10 || !good.trace) return { config, applied: false };
    const demos = trajectoryDemos(stepTraces(ctx.space.apply(ctx.program, good.config), good.trace), this.options.demoInputFieldMaxLength);
    return demos.size > 0 ? { config: appendDemos(config, targets, demos), applied: true } : { config, applied: false };
  }

  /** The rule strategy: advice from comparing the bucket's best and worst runs, appended to each step's instructions. */
  private async appendRule(ctx: OptimizerContext, input: StepInput, bucket: Bucket<SampledRun>, config: Config, at: { p10: number; p90: number; index: number }): Promise<{ config: Config; applied: boolean }> {
    const good = bucket.runs[0]!;
    const bad = bucket.runs[bucket.runs.length - 1]!;
    if (good.score < at.p10 || bad.score > at.p90) return { config, applied: false };
    let better: AdviceRun | undefined = this.adviceRun(ctx, good);
    let worse: AdviceRun | undefined = this.adviceRun(ctx, bad);
    // No contrast in this bucket: keep only the side that says something about the batch.
    if (good.score <= bad.score) {
      if (good.score > at.p90) worse = undefined;
      else better = undefined;
    }
    const program = ctx.space.apply(ctx.program, config);
    const example = ctx.trainset[bucket.example]!;
    const advice = new Map<string, string>();
    for (const [step] of programSteps(program)) {
      if (!input.targets.instructions.has(step)) continue;
      const request = { program, step, inputs: example.inputs, expected: example.outputs, better, worse };
      advice.set(step, await writeAdvice(request, reflectionContext(ctx, `simba-rule-${input.step}-${at.index}-${step}`)));
    }
    return { config: appendAdvice(config, input.targets, advice), applied: advice.size > 0 };
  }

  private adviceRun(ctx: OptimizerContext, run: SampledRun): AdviceRun {
    const steps = run.trace ? stepTraces(ctx.space.apply(ctx.program, run.config), run.trace) : [];
    return { steps, outputs: run.outputs, score: run.score, feedback: run.feedback };
  }

  /** Scores the candidates on the step's minibatch, adds them to the pool and records the winner. */
  private async scoreCandidates(ctx: OptimizerContext, state: SimbaState, input: StepInput, candidates: readonly Candidate[]): Promise<boolean> {
    const results = await Promise.all(
      candidates.map((c, i) =>
        ctx.study.evaluate(c.config, {
          examples: input.batch,
          set: "train",
          meta: { optimizer: "simba", role: "candidate", step: input.step, candidate: i, source: c.source, strategy: c.strategy, applied: c.applied },
        }),
      ),
    );
    let winner: { id: number; score: number } | undefined;
    results.forEach(({ result }, i) => {
      if (result.state !== "complete") return;
      const id = state.programs.length;
      state.programs.push({ id, config: candidates[i]!.config, scores: result.scores ?? [] });
      if (!winner || result.score! > winner.score) winner = { id, score: result.score! };
    });
    if (winner) {
      state.winners.push(winner.id);
      ctx.log(`SIMBA step ${input.step + 1}: ${candidates.length} candidates, winner #${winner.id} with ${winner.score.toFixed(3)} on the minibatch`);
    }
    return !results.some((r) => r.refused || r.result.state === "pruned");
  }

  /**
   * Races the step winners spread over the run (the best minibatch means first) on the
   * validation set; the finalist is validated from the calls set aside for it.
   */
  private async finish(ctx: OptimizerContext, state: SimbaState): Promise<OptimizerOutcome> {
    const ids = finalistPositions(state.winners.length, this.options.numCandidates + 1)
      .map((p) => state.winners[p]!)
      .filter((id) => id !== 0)
      .sort((a, b) => meanScore(state.programs[b]!) - meanScore(state.programs[a]!));
    const configs = [...new Map(ids.map((id) => [jsonKey(ctx.space.complete(state.programs[id]!.config)), { id, config: state.programs[id]!.config }])).values()];
    if (configs.length === 0 || ctx.study.shouldStop()) return { best: ctx.space.defaults(), notes: ["no step produced a candidate"] };
    const outcome = await race(ctx.study, { candidates: configs.map((c) => c.config), meta: { optimizer: "simba" } });
    const notes = outcome.scored.map((s) => {
      const id = configs.find((c) => jsonKey(ctx.space.complete(c.config)) === jsonKey(s.config))?.id ?? -1;
      return `program #${id}: scored on ${s.examples} validation examples (minibatch mean ${meanScore(state.programs[id] ?? { id, config: {}, scores: [] }).toFixed(3)})`;
    });
    if (outcome.stopped) notes.push(`race: ${outcome.stopped}`);
    ctx.log(`SIMBA: ${outcome.winner ? `finalist validated: ${outcome.score?.toFixed(3)} (baseline ${outcome.referenceScore?.toFixed(3)})` : `no finalist validated (${outcome.stopped})`}`);
    return { best: outcome.winner ?? ctx.space.defaults(), notes };
  }
}
