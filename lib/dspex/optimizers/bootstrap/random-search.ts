import { z } from "zod";
import type { Config } from "../../variables";
import { parseOptimizerOptions } from "../optimizer-options";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { checkTeacher } from "./bootstrap-few-shot";
import { buildDemoCandidate, candidateSeeds } from "./demo-candidates";
import { demoSlots, withDemos } from "./demos";
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
 * so their traces differ). Each is scored on the full validation set as it is built; the best
 * wins (stopping early at `stopAtScore`).
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
    const validation = candidates * input.valSize * input.callsPerRun;
    return {
      lmCalls: bootstraps * perBootstrap + validation,
      trials: candidates + (perBootstrap > 0 ? bootstraps * input.trainSize * this.settings.maxRounds : 0),
      notes: [
        `${bootstraps} bootstraps of at most ${perBootstrap} calls each (each stops once enough training examples pass)`,
        `${candidates} candidate programs scored on the validation set: at most ${validation} calls (a candidate already scored, such as zero-shot when it is the baseline, costs nothing)`,
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
    const rng = ctx.rng.fork("candidates");
    let best: { config: Config; score: number } | undefined;
    const notes: string[] = [];
    for (const seed of candidateSeeds(this.settings.numCandidatePrograms + 3)) {
      if (ctx.study.shouldStop()) break;
      const candidate = await buildDemoCandidate(ctx, seed, { ...this.settings, sampleShuffled: true, prefix: this.name }, rng);
      if (candidate.stopped) break;
      const config = withDemos(base, slots, candidate);
      const scored = await scoreOnValidation(ctx, config, { role: "candidate", candidate: candidate.label });
      if (!scored) break;
      notes.push(`${candidate.label}: ${scored.score!.toFixed(3)} (trial ${scored.number})`);
      if (!best || scored.score! > best.score) best = { config, score: scored.score! };
      if (this.settings.stopAtScore !== undefined && scored.score! >= this.settings.stopAtScore) {
        ctx.log(`BootstrapFewShotWithRandomSearch: ${candidate.label} scored ${scored.score} >= stopAtScore ${this.settings.stopAtScore}; stopping`);
        break;
      }
    }
    return { best: best?.config ?? base, notes };
  }
}
