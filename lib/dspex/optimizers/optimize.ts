import { z } from "zod";
import { lmOrConfigured } from "../configure";
import { outputsMatch } from "../evaluate/metrics";
import type { Example, Metric } from "../evaluate/types";
import { createPriceTable } from "../lm";
import type { LM, LMSettings } from "../lm/types";
import type { Module } from "../modules/module";
import { createRng } from "../random";
import { TpeSampler, RandomSampler } from "../samplers";
import { GeneticSearch } from "./genetic-search";
import { discoverSpace, programSteps, type DiscoverOptions, type Variable, type VariableSpace } from "../variables";
import { Alternate } from "./alternate";
import { BootstrapFewShot, BootstrapFewShotWithRandomSearch, LabeledFewShot } from "./bootstrap";
import { Gepa } from "./gepa";
import { MIPROv2 } from "./mipro";
import { parseOptimizerOptions } from "./optimizer-options";
import { validateBudget } from "./budget";
import { DspexError } from "../errors";
import { runOptimization, type RunOptimizationOptions } from "./run";
import { SamplerSearch } from "./sampler-search";
import { ReflectRace } from "./reflect-race";
import { Simba } from "./simba";
import { modelsOfRun, refuseUnpricedModels } from "./price-check";
import { demosShown, searchedModels, typicalCall } from "./estimate";
import { planOptimize, strongestModel, withDefaultModel, type OptimizePlan, type PlannedOptimizer } from "./planning";
import type { CostEstimate, OptimizationReport, Optimizer } from "./types";

export const OPTIMIZER_NAMES = [
  "auto",
  "labeled-few-shot",
  "bootstrap-few-shot",
  "bootstrap-random-search",
  "mipro-v2",
  "simba",
  "gepa",
  "reflect-race",
  "tpe",
  "genetic",
  "random",
] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export interface OptimizeOptions<M extends Module> extends Partial<Omit<RunOptimizationOptions<M>, "optimizer" | "program" | "trainset" | "valset" | "metric" | "lm" | "estimate">> {
  /** Default: every expected output matches (numbers within 1e-6, text after normalisation). */
  readonly metric?: Metric;
  /** Default: the LM set by configure({ lm }); with neither, optimize() refuses to start. */
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
  /** MIPROv2's preset when it is requested without a budget (with one, the preset comes from the budget). */
  readonly auto?: "light" | "medium" | "heavy";
  /**
   * The model that bootstraps demos and writes proposals: a model name or LM settings. Default:
   * the strongest (by price per token) of the models offered in `variables.models`, else the
   * program's own model.
   */
  readonly teacher?: string | LMSettings;
}

export interface OptimizeResult<M extends Module> extends OptimizationReport<M> {
  readonly chosen: { readonly optimizer: string; readonly reason: string };
  readonly split: { readonly train: number; readonly val: number };
  /** What optimize() planned before the first call (also in the start event's estimate). */
  readonly plan: OptimizePlan;
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
  teacher: z.union([z.string().min(1), z.record(z.string(), z.unknown())], { message: 'must be a model name or LM settings, e.g. "gpt-4o" or { model: "gpt-4o" }' }).optional(),
});

const isPrompt = (v: Variable) => v.kind === "text" || v.kind === "demos";
const PLANNED: ReadonlySet<string> = new Set(["auto", "labeled-few-shot", "bootstrap-few-shot", "bootstrap-random-search", "mipro-v2", "simba", "gepa", "reflect-race", "tpe"]);

/**
 * The one-line entry point: discovers the program's variables, holds out a validation set,
 * plans from the budget (which optimizer, with which parameters, so that the baseline, the search
 * and the final validation fit; a plan that cannot fit is shrunk or refused with the reason),
 * shows the plan in its start event before the first call, and returns the optimized program with
 * its report. Bootstrapping and proposals use the teacher (the strongest model offered).
 */
export async function optimize<M extends Module>(program: M, trainset: readonly Example[], options: OptimizeOptions<M> = {}): Promise<OptimizeResult<M>> {
  parseOptimizerOptions("optimize", OptionsSchema.loose(), options);
  if (options.budget) validateBudget(options.budget);
  if (trainset.length === 0) throw new DspexError("OPTION_INVALID", "optimize: give at least one training example");
  let space: VariableSpace = options.space ?? discoverSpace(program, options.variables);
  if (options.search) space = space.select(options.search);
  if (space.searchable().length === 0) throw new DspexError("OPTION_INVALID", "optimize: nothing to search: every variable is fixed (check the `search` option)");

  const seed = options.seed ?? 0;
  const lm = lmOrConfigured(options.lm, "optimize");
  const prices = options.prices ?? createPriceTable();
  const teacherModel = typeof options.teacher === "string" ? options.teacher : options.teacher?.model;
  const runModels = [...modelsOfRun(program, space, lm, options.promptLM), ...(teacherModel !== undefined ? [teacherModel] : [])];
  await refuseUnpricedModels({ caller: "optimize", usd: options.budget?.usd, models: runModels, lm, prices });
  const requested = options.optimizer ?? "auto";
  const valFraction = options.valFraction ?? (requested === "mipro-v2" || requested === "tpe" || requested === "random" || requested === "genetic" ? 0.8 : 0.5);
  const split = options.valset ? { train: [...trainset], val: [...options.valset] } : holdOut(trainset, valFraction, seed);
  const teacher = await resolveTeacher(options, prices, lm.provider);
  const call = await typicalCall({ program, example: split.train[0] ?? split.val[0], examples: split.train, lm, prices, models: searchedModels(space), demos: demosShown(space, split.train.length, typeof requested === "string" ? requested : requested.name) });
  const callsPerRun = Math.max(1, programSteps(program).length);

  const planned = planFor(requested, { space, trainSize: split.train.length, valSize: split.val.length, callsPerRun, budget: options.budget, usdPerCall: call.usd, teacher, auto: options.auto });
  const valset = planned.plan.valExamples < split.val.length ? createRng(seed).fork("plan-validation").sample(split.val, planned.plan.valExamples) : split.val;
  const estimate: CostEstimate = {
    lmCalls: planned.plan.lmCalls,
    usd: planned.plan.usd ?? null,
    trials: 0,
    notes: [
      `plan: ${planned.plan.optimizer} (${planned.plan.reason})`,
      ...planned.plan.steps.map((s) => `${s.what}: about ${s.lmCalls} calls`),
      ...(planned.plan.shrunk ? [planned.plan.shrunk] : []),
      ...planned.plan.notes,
      call.usd !== undefined
        ? `about ${call.inputTokens} input and ${call.outputTokens} output tokens per call on ${call.model}, $${call.usd.toFixed(6)} per call`
        : `price unknown for ${call.unpriced.join(", ")}: the estimate counts calls only (give it a price, or mark it free with a price of 0)`,
    ],
    plan: planned.plan,
  };
  const report = await runOptimization({
    ...options,
    optimizer: planned.optimizer,
    program,
    space,
    trainset: split.train,
    valset,
    metric: options.metric ?? outputsMatch(),
    lm,
    promptLM: options.promptLM ?? withDefaultModel(lm, teacher?.model),
    prices,
    seed,
    estimate,
  });
  return { ...report, chosen: { optimizer: planned.optimizer.name, reason: planned.plan.reason }, split: { train: split.train.length, val: valset.length }, plan: planned.plan };
}

async function resolveTeacher(options: OptimizeOptions<Module>, prices: ReturnType<typeof createPriceTable>, provider: string): Promise<LMSettings | undefined> {
  if (typeof options.teacher === "string") return { model: options.teacher };
  if (options.teacher) return options.teacher;
  const offered = options.variables?.models ?? [];
  const model = offered.length > 1 ? await strongestModel(offered, prices, provider) : undefined;
  return model ? { model } : undefined;
}

interface PlanArgs {
  readonly space: VariableSpace;
  readonly trainSize: number;
  readonly valSize: number;
  readonly callsPerRun: number;
  readonly budget: OptimizeOptions<Module>["budget"];
  readonly usdPerCall: number | undefined;
  readonly teacher: LMSettings | undefined;
  readonly auto: "light" | "medium" | "heavy" | undefined;
}

/** The plan for a request: planned optimizers get parameters from the budget; others run as they are. */
function planFor(requested: OptimizerName | Optimizer, args: PlanArgs): { plan: OptimizePlan; optimizer: Optimizer } {
  if (typeof requested === "string" && PLANNED.has(requested) && !(requested === "mipro-v2" && args.auto && !args.budget)) {
    return planOptimize({ ...args, requested: requested as PlannedOptimizer, ...(args.teacher ? { teacher: args.teacher } : {}) });
  }
  const choice = chooseOptimizer(requested, args.space, args.trainSize + args.valSize, args.auto);
  const inner = choice.optimizer.plan({ space: args.space, trainSize: args.trainSize, valSize: args.valSize, callsPerRun: args.callsPerRun });
  const lmCalls = inner.lmCalls + 2 * args.valSize * args.callsPerRun;
  return {
    optimizer: choice.optimizer,
    plan: {
      optimizer: choice.optimizer.name,
      reason: choice.reason,
      budgetCalls: args.budget?.lmCalls ?? null,
      valExamples: args.valSize,
      steps: [
        { what: `baseline on ${args.valSize} validation examples`, lmCalls: args.valSize * args.callsPerRun },
        { what: `search: ${choice.optimizer.name} with its own parameters`, lmCalls: inner.lmCalls },
        { what: "final validation of the best candidate", lmCalls: args.valSize * args.callsPerRun },
      ],
      lmCalls,
      usd: args.usdPerCall !== undefined ? args.usdPerCall * lmCalls : null,
      parameters: {},
      notes: [...(inner.notes ?? []), "the optimizer's parameters are its own; the budget is enforced while it runs"],
    },
  };
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

/**
 * Which optimizer runs for a request, a space and a number of examples, with the optimizers' own
 * default parameters (optimize() plans them from the budget instead; exported for the runtime).
 */
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
    case "reflect-race":
      return withNumbers(new ReflectRace(), "requested");
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
