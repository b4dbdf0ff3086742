import { z } from "zod";
import { createLM } from "../create-lm";
import { outputsMatch } from "../evaluate/metrics";
import type { Example, Metric } from "../evaluate/types";
import type { LM } from "../lm/types";
import type { Module } from "../modules/module";
import { createRng } from "../random";
import { TpeSampler, RandomSampler } from "../samplers";
import { GeneticSearch } from "./genetic-search";
import { discoverSpace, type DiscoverOptions, type Variable, type VariableSpace } from "../variables";
import { Alternate } from "./alternate";
import { BootstrapFewShot, BootstrapFewShotWithRandomSearch, LabeledFewShot } from "./bootstrap";
import { Gepa } from "./gepa";
import { MIPROv2 } from "./mipro";
import { parseOptimizerOptions } from "./optimizer-options";
import { DspexError } from "../errors";
import { runOptimization, type RunOptimizationOptions } from "./run";
import { SamplerSearch } from "./sampler-search";
import { Simba } from "./simba";
import type { OptimizationReport, Optimizer } from "./types";

export const OPTIMIZER_NAMES = [
  "auto",
  "labeled-few-shot",
  "bootstrap-few-shot",
  "bootstrap-random-search",
  "mipro-v2",
  "simba",
  "gepa",
  "tpe",
  "genetic",
  "random",
] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizeOptions<M extends Module> extends Partial<Omit<RunOptimizationOptions<M>, "optimizer" | "program" | "trainset" | "valset" | "metric" | "lm">> {
  /** Default: every expected output matches (numbers within 1e-6, text after normalisation). */
  readonly metric?: Metric;
  /** Default: createLM() (the configured provider, or the offline demo model). */
  readonly lm?: LM;
  /** Default: held out from the training examples (see valFraction). */
  readonly valset?: readonly Example[];
  /** Share of the examples held out for validation when no valset is given (default 0.8 for MIPROv2 and the samplers, 0.5 otherwise). */
  readonly valFraction?: number;
  readonly optimizer?: OptimizerName | Optimizer;
  /** How variables are discovered (models offered, module selection, temperature range...). */
  readonly variables?: DiscoverOptions;
  /** Only these variables are searched (names); the rest keep their current values. */
  readonly search?: readonly string[];
  /** MIPROv2's preset when it is chosen. */
  readonly auto?: "light" | "medium" | "heavy";
}

export interface OptimizeResult<M extends Module> extends OptimizationReport<M> {
  readonly chosen: { readonly optimizer: string; readonly reason: string };
  readonly split: { readonly train: number; readonly val: number };
}

const OptionsSchema = z.object({
  optimizer: z
    .union([z.enum(OPTIMIZER_NAMES), z.custom<Optimizer>((v) => typeof v === "object" && v !== null && "run" in v && "plan" in v && "name" in v)], {
      message: `must be one of ${OPTIMIZER_NAMES.join(", ")}, or an Optimizer`,
    })
    .optional(),
  valFraction: z.number().gt(0).lt(1).optional(),
  auto: z.enum(["light", "medium", "heavy"]).optional(),
  seed: z.number().int().optional(),
});

const isPrompt = (v: Variable) => v.kind === "text" || v.kind === "demos";

/**
 * The one-line entry point: discovers the program's variables, holds out a validation set,
 * chooses an optimizer by the data size and the kinds of variables searched (joining a numeric
 * sampler for numbers when the prompt optimizer does not search them itself), estimates the
 * cost, enforces the budget, and returns the optimized program with a report.
 */
export async function optimize<M extends Module>(program: M, trainset: readonly Example[], options: OptimizeOptions<M> = {}): Promise<OptimizeResult<M>> {
  parseOptimizerOptions("optimize", OptionsSchema.loose(), options);
  if (trainset.length === 0) throw new DspexError("OPTION_INVALID", "optimize: give at least one training example");
  let space: VariableSpace = options.space ?? discoverSpace(program, options.variables);
  if (options.search) space = space.select(options.search);
  if (space.searchable().length === 0) throw new DspexError("OPTION_INVALID", "optimize: nothing to search: every variable is fixed (check the `search` option)");

  const seed = options.seed ?? 0;
  const choice = chooseOptimizer(options.optimizer ?? "auto", space, trainset.length + (options.valset?.length ?? 0), options.auto);
  const split = options.valset ? { train: trainset, val: options.valset } : holdOut(trainset, options.valFraction ?? choice.valFraction, seed);
  const report = await runOptimization({
    ...options,
    optimizer: choice.optimizer,
    program,
    space,
    trainset: split.train,
    valset: split.val,
    metric: options.metric ?? outputsMatch(),
    lm: options.lm ?? createLM(),
    seed,
  });
  return { ...report, chosen: { optimizer: choice.optimizer.name, reason: choice.reason }, split: { train: split.train.length, val: split.val.length } };
}

/** The validation examples `optimize` holds out when no valset is given: a seeded shuffle, `fraction` of them (at least one, never all). */
export function holdOut(examples: readonly Example[], fraction: number, seed: number): { train: Example[]; val: Example[] } {
  if (examples.length < 2) throw new DspexError("OPTION_INVALID", "optimize: give at least two examples (or a valset) so one can be held out for validation");
  const shuffled = createRng(seed).fork("holdout").shuffle(examples);
  const nVal = Math.min(examples.length - 1, Math.max(1, Math.round(examples.length * fraction)));
  return { val: shuffled.slice(0, nVal), train: shuffled.slice(nVal) };
}

interface Choice {
  readonly optimizer: Optimizer;
  readonly reason: string;
  readonly valFraction: number;
}

/** Which optimizer `optimize` runs for a request, a space and a number of examples (exported for tests). */
export function chooseOptimizer(requested: OptimizerName | Optimizer, space: VariableSpace, examples: number, auto: "light" | "medium" | "heavy" | undefined): Choice {
  const searchable = space.searchable();
  const prompt = searchable.some(isPrompt);
  const numeric = searchable.some((v) => !isPrompt(v));
  const withNumbers = (optimizer: Optimizer, why: string): Choice => ({
    optimizer: numeric ? new Alternate([{ optimizer, variables: isPrompt }, { optimizer: new SamplerSearch({ sampler: new TpeSampler(), trials: 20 }), variables: (v) => !isPrompt(v) }]) : optimizer,
    reason: numeric ? `${why}; TPE tunes the other variables (${searchable.filter((v) => !isPrompt(v)).map((v) => v.name).join(", ")})` : why,
    valFraction: 0.5,
  });
  const sampler = (name: "tpe" | "genetic" | "random", why: string): Choice => ({
    optimizer: name === "genetic" ? new GeneticSearch() : new SamplerSearch({ sampler: name === "tpe" ? new TpeSampler() : new RandomSampler() }),
    reason: why,
    valFraction: 0.8,
  });
  const mipro = (why: string): Choice => ({ optimizer: new MIPROv2({ auto: auto ?? "light" }), reason: why, valFraction: 0.8 });

  if (typeof requested !== "string") return { optimizer: requested, reason: "given", valFraction: 0.5 };
  switch (requested) {
    case "labeled-few-shot":
      return withNumbers(new LabeledFewShot(), "requested");
    case "bootstrap-few-shot":
      return withNumbers(new BootstrapFewShot(), "requested");
    case "bootstrap-random-search":
      return withNumbers(new BootstrapFewShotWithRandomSearch(), "requested");
    case "simba":
      return withNumbers(new Simba(), "requested");
    case "gepa":
      return withNumbers(new Gepa(), "requested");
    case "mipro-v2":
      return mipro("requested; it searches instructions, demos and every other variable together with TPE");
    case "tpe":
    case "genetic":
    case "random":
      return sampler(requested, "requested");
    case "auto":
      if (!prompt) return sampler("tpe", "no instructions or demos are searched: TPE over the numeric and categorical variables");
      if (examples < 10) return withNumbers(new LabeledFewShot(), `${examples} examples: too few to bootstrap, labeled few-shot`);
      if (examples < 50) return withNumbers(new BootstrapFewShot(), `${examples} examples: bootstrap few-shot`);
      return mipro(`${examples} examples: MIPROv2 (${auto ?? "light"}), which searches instructions, demos and every other variable together with TPE`);
  }
}
