import { z } from "zod";
import { jsonKey, type Config } from "../../variables";
import { race, raceCalls, rungSizes } from "../race";
import { parseOptimizerOptions } from "../optimizer-options";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { checkTeacher } from "./bootstrap-few-shot";
import { buildDemoCandidate, candidateSeeds } from "./demo-candidates";
import { demoCapNotes, demoSlots, withDemos } from "./demos";
import { bootstrapShape, type BootstrapSettings } from "./options";
import { bootstrapCallsAtMost } from "./plan";
import { scoreOnValidation } from "./score-candidate";

const OptionsSchema = z.strictObject({
  ...bootstrapShape({ maxLabeledDemos: 16 }),
  numCandidatePrograms: z
    .number({ message: "must be a whole number >= 0 (default 16)" })
    .int({ message: "must be a whole number >= 0 (default 16)" })
    .min(0, { message: "must be a whole number >= 0 (default 16)" })
    .default(16),
  stopAtScore: z.number({ message: "must be a number (default: none)" }).finite({ message: "must be a finite number" }).optional(),
});

export type BootstrapFewShotWithRandomSearchOptions = z.input<typeof OptionsSchema>;
type Settings = z.output<typeof OptionsSchema> & BootstrapSettings;

/**
 * BootstrapFewShotWithRandomSearch: candidate programs are zero-shot, labeled-only, a bootstrap
 * over the training set in order, and `numCandidatePrograms` bootstraps over shuffled training
 * sets with random numbers of bootstrapped demos (sampled at temperature 1.0, a rollout id each,
 * so their traces differ). Candidates are built while the budget leaves room to compare them,
 * then raced on the validation set (successive halving on growing prefixes, scores reused), so
 * only the finalist costs a full evaluation.
 */
export class BootstrapFewShotWithRandomSearch implements Optimizer {
  readonly name = "bootstrap-random-search";
  private readonly settings: Settings;

  constructor(options: BootstrapFewShotWithRandomSearchOptions = {}) {
    this.settings = parseOptimizerOptions("BootstrapFewShotWithRandomSearch", OptionsSchema, options);
  }

  plan(input: PlanInput) {
    if (demoSlots(input.space).length === 0) return { lmCalls: 0, trials: 0, notes: ["no searchable demo variables: nothing to do"] };
    const candidates = this.settings.numCandidatePrograms + 3;
    const bootstraps = candidateSeeds(candidates).filter((s) => s >= -1 || (s === -2 && this.settings.maxLabeledDemos === 0)).length;
    const perBootstrap = bootstrapCallsAtMost(input, this.settings);
    const racing = candidates - 1;
    const sizes = rungSizes(Math.min(5, input.valSize), input.valSize, Math.max(1, Math.ceil(Math.log(Math.max(2, racing)) / Math.log(3) - 1e-9)));
    const validation = this.settings.stopAtScore !== undefined ? candidates * input.valSize * input.callsPerRun : raceCalls(racing, sizes, 3, input.callsPerRun);
    return {
      lmCalls: bootstraps * perBootstrap + validation,
      trials: candidates + (perBootstrap > 0 ? bootstraps * input.trainSize * this.settings.maxRounds : 0),
      notes: [
        `${bootstraps} bootstraps of at most ${perBootstrap} calls each (each stops once enough training examples pass)`,
        this.settings.stopAtScore !== undefined
          ? `${candidates} candidate programs scored on the validation set one by one: at most ${validation} calls`
          : `${racing} candidate programs raced on validation prefixes of ${sizes.join(", ")} examples: at most ${validation} calls`,
        ...demoCapNotes("BootstrapFewShotWithRandomSearch", demoSlots(input.space), this.settings),
      ],
    };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    checkTeacher("BootstrapFewShotWithRandomSearch", ctx, this.settings);
    const slots = demoSlots(ctx.space);
    const base = ctx.space.defaults();
    if (slots.length === 0) {
      ctx.log("BootstrapFewShotWithRandomSearch: no searchable demo variables; the program is left as it is");
      return { best: base };
    }
    for (const note of demoCapNotes("BootstrapFewShotWithRandomSearch", slots, this.settings)) ctx.log(note);
    if (this.settings.stopAtScore !== undefined) return this.oneByOne(ctx, slots, this.settings.stopAtScore);
    const rng = ctx.rng.fork("candidates");
    const built: Array<{ config: Config; label: string }> = [];
    let bootstrapCalls = 0;
    let bootstraps = 0;
    for (const seed of candidateSeeds(this.settings.numCandidatePrograms + 3)) {
      // Keep enough to race what is built: a first rung for each candidate, plus the next bootstrap.
      const nextBootstrap = seed >= -1 ? (bootstraps > 0 ? bootstrapCalls / bootstraps : this.settings.maxBootstrappedDemos * ctx.study.callsPerExample()) : 0;
      const raceFloor = (built.length + 1) * Math.min(5, ctx.valset.length) * ctx.study.callsPerExample();
      if (ctx.study.shouldStop()) break;
      if (ctx.study.headroom() < nextBootstrap + raceFloor) {
        ctx.study.budgetLimited(`BootstrapFewShotWithRandomSearch: ${built.length} candidates built; the budget leaves no room to build more and still race them`);
        break;
      }
      const before = ctx.study.spend.lmCalls;
      const candidate = await buildDemoCandidate(ctx, seed, { ...this.settings, sampleShuffled: true, prefix: this.name }, rng);
      if (seed >= -1) {
        bootstraps++;
        bootstrapCalls += ctx.study.spend.lmCalls - before;
      }
      if (candidate.stopped) break;
      built.push({ config: withDemos(base, slots, candidate), label: candidate.label });
    }
    ctx.log(`BootstrapFewShotWithRandomSearch: ${built.length} candidate programs built; racing them on the validation set`);
    const outcome = await race(ctx.study, { candidates: built.map((b) => b.config), meta: { optimizer: this.name } });
    const notes = outcome.scored.map((s) => `${built.find((b) => jsonKey(ctx.space.complete(b.config)) === jsonKey(s.config))?.label ?? "candidate"}: scored on ${s.examples} validation examples`);
    if (outcome.stopped) notes.push(`race: ${outcome.stopped}`);
    return { best: outcome.winner ?? ctx.study.best("full")?.config ?? base, notes };
  }

  /** DSPy's way, kept for stopAtScore: each candidate scored on the whole validation set as it is built. */
  private async oneByOne(ctx: OptimizerContext, slots: ReturnType<typeof demoSlots>, stopAt: number): Promise<OptimizerOutcome> {
    const base = ctx.space.defaults();
    const rng = ctx.rng.fork("candidates");
    let best: { config: Config; score: number } | undefined;
    const notes: string[] = [];
    for (const seed of candidateSeeds(this.settings.numCandidatePrograms + 3)) {
      if (ctx.study.shouldStop()) break;
      const candidate = await buildDemoCandidate(ctx, seed, { ...this.settings, sampleShuffled: true, prefix: this.name }, rng);
      if (candidate.stopped) break;
      const config = withDemos(base, slots, candidate);
      const scored = await scoreOnValidation(ctx, config, { role: "candidate", candidate: candidate.label }, { finalist: !ctx.study.affords(ctx.valset.length) });
      if (!scored) break;
      notes.push(`${candidate.label}: ${scored.score!.toFixed(3)} (trial ${scored.number})`);
      if (!best || scored.score! > best.score) best = { config, score: scored.score! };
      if (scored.score! >= stopAt) {
        ctx.log(`BootstrapFewShotWithRandomSearch: ${candidate.label} scored ${scored.score} >= stopAtScore ${stopAt}; stopping`);
        break;
      }
    }
    return { best: best?.config ?? base, notes };
  }
}
