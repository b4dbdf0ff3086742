import { z } from "zod";
import type { Rng } from "../random";
import { jsonKey, type Config, type JsonValue, type Variable, type VariableSpace } from "../variables";
import { fitnessPlaces, tournament } from "./genetic-selection";
import { parseOptions } from "./options";
import { scoredTrials, type ScoredTrial } from "./scores";
import type { Sampler, SamplerContext } from "./types";

/** Rewrites an instruction (an LM call supplied by the optimizer layer); seeded by `rng`. */
export type RewriteText = (text: string, rng: Rng) => Promise<string>;

export interface GeneticSamplerOptions {
  /** Trials per generation: generation g is trials [g P, (g + 1) P) (default 20). */
  readonly populationSize?: number;
  /** Entrants per tournament (default 3). */
  readonly tournamentSize?: number;
  /** Chance a child mixes two parents variable by variable, else copies one (default 0.9). */
  readonly crossoverRate?: number;
  /** Chance each active variable mutates (default 1 / number of active searchable variables). */
  readonly mutationRate?: number;
  /**
   * How far numbers move when mutated: the Gaussian step's sd is strength x a quarter of the range
   * (default 0.5). Choices, text and demos always change when picked for mutation.
   */
  readonly mutationStrength?: number;
  /** Best trials so far that join every generation's parents (default 2). */
  readonly eliteCount?: number;
  /** Mutates text variables with an LM rewrite; without it text mutates like a choice. */
  readonly rewriteText?: RewriteText;
}

const OptionsSchema = z.strictObject({
  populationSize: z.number().int({ message: "must be a whole number >= 2 (default 20)" }).min(2, { message: "must be a whole number >= 2 (default 20)" }).default(20),
  tournamentSize: z.number().int({ message: "must be a whole number >= 1 (default 3)" }).min(1, { message: "must be a whole number >= 1 (default 3)" }).default(3),
  crossoverRate: z.number().min(0, { message: "must be a probability in [0, 1] (default 0.9)" }).max(1, { message: "must be a probability in [0, 1] (default 0.9)" }).default(0.9),
  mutationRate: z.number().gt(0, { message: "must be a probability in (0, 1] (default 1 / active variables)" }).max(1, { message: "must be a probability in (0, 1] (default 1 / active variables)" }).optional(),
  mutationStrength: z.number().gt(0, { message: "must be in (0, 1] (default 0.5)" }).max(1, { message: "must be in (0, 1] (default 0.5)" }).default(0.5),
  eliteCount: z.number().int({ message: "must be a whole number >= 0 (default 2)" }).min(0, { message: "must be a whole number >= 0 (default 2)" }).default(2),
  rewriteText: z.custom<RewriteText>((f) => typeof f === "function", { message: "must be a function (text, rng) => Promise<string>" }).optional(),
});

type Settings = z.infer<typeof OptionsSchema>;

const BREED_ATTEMPTS = 20;

interface Child {
  readonly config: Config;
  /** Text variables picked for mutation, rewritten by the hook after breeding. */
  readonly rewrites: readonly string[];
}

/**
 * A generational genetic algorithm over any VariableSpace. The first generation is random (trial 0
 * is the space's defaults); each later one breeds from the previous generation plus the elites:
 * tournament selection, per-variable crossover, per-kind mutation, and NSGA-II ranking when there
 * are several objectives. Stateless: generations are read off trial numbers.
 */
export class GeneticSampler implements Sampler {
  readonly name = "genetic";
  private readonly settings: Settings;

  constructor(options: GeneticSamplerOptions = {}) {
    this.settings = parseOptions("GeneticSampler", OptionsSchema, options);
  }

  ask(ctx: SamplerContext): Config | Promise<Config> {
    const { space, rng } = ctx;
    const size = this.settings.populationSize;
    const generation = Math.floor(ctx.trialNumber / size);
    if (generation === 0) return this.firstGeneration(ctx);
    const scored = scoredTrials(
      ctx.trials.filter((t) => t.number < generation * size),
      ctx.objectives,
    );
    if (scored.length === 0) return space.sample(rng);
    const places = fitnessPlaces(scored);
    const pool = this.parents(scored, places, (generation - 1) * size);
    // Children that repeat a parent or a recent trial are bred again (up to BREED_ATTEMPTS).
    const seen = new Set([...ctx.trials.filter((t) => t.number >= (generation - 1) * size).map((t) => jsonKey(t.config)), ...pool.map((i) => jsonKey(scored[i]!.trial.config))]);
    let child: Child | undefined;
    for (let attempt = 0; attempt < BREED_ATTEMPTS; attempt++) {
      const next = this.breed(space, scored, places, pool, rng);
      if (space.violated(next.config).length > 0) continue;
      child = next;
      if (next.rewrites.length > 0 || !seen.has(jsonKey(next.config))) break;
    }
    if (!child) return space.sample(rng);
    return child.rewrites.length > 0 && this.settings.rewriteText ? this.rewrite(space, child, rng, this.settings.rewriteText) : child.config;
  }

  private firstGeneration(ctx: SamplerContext): Config {
    if (ctx.trialNumber === 0) {
      const defaults = ctx.space.defaults();
      if (ctx.space.violated(defaults).length === 0) return defaults;
    }
    return ctx.space.sample(ctx.rng);
  }

  /** The previous generation's scored trials plus the elites (indices into scored). */
  private parents(scored: readonly ScoredTrial[], places: readonly number[], from: number): number[] {
    const pool = new Set<number>();
    scored.forEach((s, i) => {
      if (s.trial.number >= from) pool.add(i);
    });
    if (pool.size === 0) scored.forEach((_, i) => pool.add(i));
    scored.forEach((_, i) => {
      if (places[i]! < this.settings.eliteCount) pool.add(i);
    });
    return [...pool].sort((a, b) => a - b);
  }

  private breed(space: VariableSpace, scored: readonly ScoredTrial[], places: readonly number[], pool: readonly number[], rng: Rng): Child {
    const a = scored[tournament(pool, places, this.settings.tournamentSize, rng)]!.trial.config;
    const b = scored[tournament(pool, places, this.settings.tournamentSize, rng)]!.trial.config;
    const mix = rng.next() < this.settings.crossoverRate;
    const inherited = (v: Variable) => valueOf(v, a) ?? valueOf(v, b);
    const crossed: Record<string, JsonValue> = {};
    for (const v of space.variables) {
      if (v.fixed || !space.isActive(v.name, crossed)) continue;
      const va = valueOf(v, a);
      const vb = valueOf(v, b);
      crossed[v.name] = mix && va !== undefined && vb !== undefined ? v.crossover(va, vb, rng) : (va ?? vb ?? v.sample(rng));
    }
    const rate = this.settings.mutationRate ?? 1 / Math.max(1, Object.keys(crossed).length);
    const child: Record<string, JsonValue> = {};
    const rewrites: string[] = [];
    for (const v of space.variables) {
      if (v.fixed || !space.isActive(v.name, child)) continue;
      // A variable opened by a mutated parent takes a parent's value, or a random one.
      let value = crossed[v.name] ?? inherited(v) ?? v.sample(rng);
      if (rng.next() < rate) {
        if (v.kind === "text" && this.settings.rewriteText) rewrites.push(v.name);
        else value = v.mutate(value, rng, v.domain.type === "categorical" ? 1 : this.settings.mutationStrength);
      }
      child[v.name] = value;
    }
    return { config: space.complete(child), rewrites };
  }

  private async rewrite(space: VariableSpace, child: Child, rng: Rng, rewriteText: RewriteText): Promise<Config> {
    const out: Record<string, JsonValue> = { ...child.config };
    for (const name of child.rewrites) {
      const text = out[name];
      if (typeof text !== "string") continue;
      const next = await rewriteText(text, rng.fork(`rewrite:${name}`));
      if (space.require(name).schema.safeParse(next).success) out[name] = next;
    }
    const config = space.complete(out);
    return space.violated(config).length === 0 ? config : child.config;
  }
}

/** A parent's value for a variable, when it has one the variable still accepts. */
function valueOf(v: Variable, config: Config): JsonValue | undefined {
  if (!(v.name in config)) return undefined;
  const value = config[v.name]!;
  return v.schema.safeParse(value).success ? value : undefined;
}
