import type { Rng } from "../../random";
import type { OptimizerContext } from "../types";
import { bootstrapDemos, type BootstrapOutcome } from "./bootstrap-demos";
import { stepPaths, type DemoCandidate } from "./demos";
import { labeledCandidate } from "./labeled-few-shot";
import type { BootstrapSettings } from "./options";

export interface DemoCandidateSettings extends BootstrapSettings {
  /** Shuffled bootstraps at temperature 1.0 with a rollout id each (default false: the teacher's own settings). */
  readonly sampleShuffled?: boolean;
  /** Prefix of rollout ids and trial roles. */
  readonly prefix: string;
}

export interface BuiltCandidate extends DemoCandidate {
  /** -3 zero-shot, -2 labeled, -1 unshuffled bootstrap, 0.. shuffled bootstraps (DSPy's numbering). */
  readonly seed: number;
  readonly stopped: boolean;
  readonly bootstrap?: BootstrapOutcome;
}

/** The seeds of `count` candidate sets: -3, -2, -1, then 0, 1, ... (DSPy's numbering). */
export function candidateSeeds(count: number): number[] {
  return Array.from({ length: Math.max(0, count) }, (_, i) => i - 3);
}

/**
 * One candidate demo set, as BootstrapFewShotWithRandomSearch and MIPROv2 build them: seed -3 is
 * zero-shot, -2 labeled only (k = maxLabeledDemos; without labeled demos it is one more shuffled
 * bootstrap), -1 a bootstrap over the training set in order, and each seed >= 0 a bootstrap over
 * a shuffled training set with a random number (1..maxBootstrappedDemos) of bootstrapped demos.
 */
export async function buildDemoCandidate(ctx: OptimizerContext, seed: number, settings: DemoCandidateSettings, rng: Rng): Promise<BuiltCandidate> {
  const all = ctx.trainset.map((_, i) => i);
  if (seed === -3) {
    return { seed, label: "zero-shot", steps: Object.fromEntries(stepPaths(ctx.program).map((s) => [s, { demos: [], bootstrapped: 0 }])), stopped: false };
  }
  if (seed === -2 && settings.maxLabeledDemos > 0) {
    return { seed, ...labeledCandidate(ctx, settings.maxLabeledDemos, { sample: true, rng: rng.fork("labeled") }), stopped: false };
  }
  if (seed === -1) {
    const bootstrap = await bootstrapDemos(ctx, settings, { label: "bootstrapped", order: all, rng: rng.fork("bootstrapped"), prefix: settings.prefix });
    return { seed, label: bootstrap.label, steps: bootstrap.steps, stopped: bootstrap.stopped, bootstrap };
  }
  const own = rng.fork(`shuffled-${seed}`);
  const order = own.shuffle(all);
  const size = own.int(Math.min(1, settings.maxBootstrappedDemos), settings.maxBootstrappedDemos);
  const label = `bootstrapped-shuffled-${seed}`;
  const bootstrap = await bootstrapDemos(ctx, { ...settings, maxBootstrappedDemos: size }, { label, order, rng: own, sample: settings.sampleShuffled ?? false, prefix: settings.prefix });
  return { seed, label, steps: bootstrap.steps, stopped: bootstrap.stopped, bootstrap };
}

/** `count` candidate sets in seed order; stops early (returning those built) once the budget is spent. */
export async function buildDemoCandidates(ctx: OptimizerContext, count: number, settings: DemoCandidateSettings, rng: Rng): Promise<BuiltCandidate[]> {
  const out: BuiltCandidate[] = [];
  for (const seed of candidateSeeds(count)) {
    if (ctx.study.shouldStop()) break;
    const candidate = await buildDemoCandidate(ctx, seed, settings, rng);
    if (candidate.stopped) break;
    out.push(candidate);
  }
  return out;
}
