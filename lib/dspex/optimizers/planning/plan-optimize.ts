// optimize()'s plan: from the budget, the data sizes and the searchable variables, which optimizer
// runs with which parameters, and what each part is expected to cost, before the first call.
import { DspexError } from "../../errors";
import type { LMSettings } from "../../lm/types";
import { TpeSampler } from "../../samplers";
import type { Variable } from "../../variables";
import { Alternate } from "../alternate";
import { demoSlots, instructionSlots } from "../bootstrap";
import { LabeledFewShot } from "../bootstrap/labeled-few-shot";
import { SamplerSearch } from "../sampler-search";
import type { Budget, Optimizer, PlanInput } from "../types";
import { fitBootstrap, fitGepa, fitMipro, fitRandomSearch, fitReflectRace, fitSimba, bootstrapCalls, type FitInput, type Fitted } from "./fit";

export type PlannedOptimizer = "auto" | "labeled-few-shot" | "bootstrap-few-shot" | "bootstrap-random-search" | "mipro-v2" | "simba" | "gepa" | "reflect-race" | "tpe";

export interface OptimizePlanInput extends PlanInput {
  readonly budget?: Budget;
  /** The price of a typical call, when known (turns a money budget into calls). */
  readonly usdPerCall?: number;
  readonly requested: PlannedOptimizer;
  readonly teacher?: LMSettings;
}

/** One part of the plan and the calls it is expected to make. */
export interface PlanStep {
  readonly what: string;
  readonly lmCalls: number;
}

/** What optimize() will do, shown in its start event before the first call. */
export interface OptimizePlan {
  readonly optimizer: string;
  readonly reason: string;
  /** The budget in calls the plan fits (money turned into calls at the typical call's price); null without a limit. */
  readonly budgetCalls: number | null;
  /** Validation examples scored (fewer than given when the budget could not pay for all of them). */
  readonly valExamples: number;
  readonly steps: readonly PlanStep[];
  /** Calls expected in all. */
  readonly lmCalls: number;
  readonly usd: number | null;
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  readonly notes: readonly string[];
  /** Why the plan is smaller than asked (validation subsampled), when it is. */
  readonly shrunk?: string;
}

export class PlanRefusedError extends DspexError {
  constructor(
    message: string,
    readonly neededCalls: number,
  ) {
    super("BUDGET_TOO_SMALL", message);
  }
}

/** Validation examples never go below this when a plan is shrunk. */
export const MIN_VALIDATION = 5;
/** With no call limit, a plan is sized as for this many calls. */
export const UNLIMITED_PLAN_CALLS = 600;

const isPrompt = (v: Variable) => v.kind === "text" || v.kind === "demos";

/** The budget in calls: the call limit, or money turned into calls; null when neither is set. */
export function budgetCalls(budget: Budget | undefined, usdPerCall: number | undefined): number | null {
  const limits: number[] = [];
  if (budget?.lmCalls !== undefined) limits.push(Math.floor(budget.lmCalls));
  if (budget?.usd !== undefined && usdPerCall !== undefined && usdPerCall > 0) limits.push(Math.floor(budget.usd / usdPerCall));
  return limits.length ? Math.min(...limits) : null;
}

/**
 * The plan for a budget: the baseline and the final validation are paid first (two passes over
 * the validation set); when they leave too little for any search, the validation set is
 * subsampled (never below MIN_VALIDATION examples) or the plan is refused with what it needs.
 * The rest goes to the optimizer chosen (or requested) with parameters fitted to it.
 */
export function planOptimize(input: OptimizePlanInput): { plan: OptimizePlan; optimizer: Optimizer } {
  const c = Math.max(1, input.callsPerRun);
  const calls = budgetCalls(input.budget, input.usdPerCall);
  const demoCap = Math.max(0, ...demoSlots(input.space).map((s) => s.max));
  const hasDemos = demoSlots(input.space).length > 0 && input.trainSize > 0;
  const minSearch = hasDemos ? bootstrapCalls(Math.min(4, Math.max(1, demoCap)), c) : 4 * c;
  let valSize = input.valSize;
  let shrunk: string | undefined;
  if (calls !== null) {
    const fixed = (v: number) => 2 * v * c;
    if (calls < fixed(Math.min(MIN_VALIDATION, input.valSize)) + minSearch) {
      const needed = fixed(Math.min(MIN_VALIDATION, input.valSize)) + minSearch;
      throw new PlanRefusedError(
        `optimize: a budget of ${calls} LM calls${input.budget?.usd !== undefined ? ` (about, at $${(input.usdPerCall ?? 0).toFixed(6)} per call)` : ""} cannot pay for scoring the program before and after on at least ${Math.min(MIN_VALIDATION, input.valSize)} validation examples (${fixed(Math.min(MIN_VALIDATION, input.valSize))} calls) and the smallest search (${minSearch} calls); give at least ${needed} calls`,
        needed,
      );
    }
    if (calls < fixed(valSize) + minSearch) {
      valSize = Math.max(Math.min(MIN_VALIDATION, input.valSize), Math.floor((calls - minSearch) / (2 * c)));
      shrunk = `the budget of ${calls} calls cannot score all ${input.valSize} validation examples before and after and still search: ${valSize} of them are used`;
    }
  }
  const total = calls ?? UNLIMITED_PLAN_CALLS;
  const searchCalls = Math.max(0, total - 2 * valSize * c);
  const fit: FitInput = { ...input, callsPerRun: c, valSize, searchCalls, demoCap: Math.max(1, demoCap), ...(input.teacher ? { teacher: input.teacher } : {}) };
  const chosen = choose(input.requested, fit);
  const numeric = input.space.searchable().filter((v) => !isPrompt(v));
  let optimizer = chosen.fitted.optimizer;
  let reason = chosen.reason;
  let searchUse = chosen.fitted.lmCalls;
  const notes = [...chosen.fitted.notes];
  if (numeric.length && chosen.joinsNumbers) {
    // The other variables (temperature, model, module...) get TPE with a quarter of the search.
    const share = Math.floor(searchCalls / 4);
    const mb = Math.max(1, Math.min(valSize, Math.ceil(valSize / 3)));
    const trials = Math.max(2, Math.floor(share / (mb * c)));
    const refit = choose(input.requested, { ...fit, searchCalls: searchCalls - share });
    optimizer = new Alternate([
      { optimizer: refit.fitted.optimizer, variables: isPrompt },
      { optimizer: new SamplerSearch({ sampler: new TpeSampler(), trials, minibatchSize: mb }), variables: (v) => !isPrompt(v) },
    ]);
    reason = `${refit.reason}; TPE tunes the other variables (${numeric.map((v) => v.name).join(", ")}) with ${trials} trials`;
    // As the optimizers themselves count: each part's trials and evaluations (TPE's periodic full ones included), per round.
    searchUse = Math.max(refit.fitted.lmCalls + trials * mb * c, optimizer.plan({ space: input.space, trainSize: input.trainSize, valSize, callsPerRun: c }).lmCalls);
    notes.splice(0, notes.length, ...refit.fitted.notes, `TPE: ${trials} trials on minibatches of ${mb} for ${numeric.map((v) => v.name).join(", ")}`);
  }
  const steps: PlanStep[] = [
    { what: `baseline: the program as given on ${valSize} validation examples`, lmCalls: valSize * c },
    { what: `search: ${optimizer.name}`, lmCalls: Math.min(searchUse, searchCalls) },
    { what: "final validation of the best candidate (set aside from the start)", lmCalls: valSize * c },
  ];
  const lmCalls = steps.reduce((s, x) => s + x.lmCalls, 0);
  const plan: OptimizePlan = {
    optimizer: optimizer.name,
    reason,
    budgetCalls: calls,
    valExamples: valSize,
    steps,
    lmCalls,
    usd: input.usdPerCall !== undefined ? input.usdPerCall * lmCalls : null,
    parameters: chosen.fitted.parameters,
    notes: [...(calls === null ? [`no call or money limit: the plan is sized for ${UNLIMITED_PLAN_CALLS} calls`] : []), ...notes],
    ...(shrunk ? { shrunk } : {}),
  };
  return { plan, optimizer };
}

interface Choice {
  readonly fitted: Fitted;
  readonly reason: string;
  /** Whether TPE should join for variables the optimizer does not search. */
  readonly joinsNumbers: boolean;
}

/** The optimizer for the search budget: requested ones get fitted parameters, "auto" picks by budget and variables. */
function choose(requested: PlannedOptimizer, fit: FitInput): Choice {
  const prompt = fit.trainSize > 0 && (demoSlots(fit.space).length > 0 || instructionSlots(fit.space).length > 0);
  switch (requested) {
    case "labeled-few-shot":
      return { fitted: { optimizer: new LabeledFewShot({ k: fit.demoCap }), lmCalls: 0, parameters: { k: fit.demoCap }, notes: [`${fit.demoCap} labeled demos`] }, reason: "requested", joinsNumbers: true };
    case "bootstrap-few-shot":
      return { fitted: fitBootstrap(fit), reason: "requested", joinsNumbers: true };
    case "bootstrap-random-search":
      return { fitted: fitRandomSearch(fit), reason: "requested", joinsNumbers: true };
    case "mipro-v2":
      return { fitted: fitMipro(fit), reason: "requested; it searches every variable with TPE itself", joinsNumbers: false };
    case "simba":
      return { fitted: fitSimba(fit), reason: "requested", joinsNumbers: true };
    case "gepa":
      return { fitted: fitGepa(fit), reason: "requested", joinsNumbers: true };
    case "reflect-race":
      return { fitted: fitReflectRace(fit), reason: "requested", joinsNumbers: true };
    case "tpe":
      return { fitted: fitTpe(fit), reason: "requested", joinsNumbers: false };
    case "auto":
      break;
  }
  if (!prompt) return { fitted: fitTpe(fit), reason: "no instructions or demos are searched: TPE over the other variables, raced on the validation set", joinsNumbers: false };
  return {
    fitted: fitReflectRace(fit),
    reason: `${fit.searchCalls} calls for the search: demo sets bootstrapped by ${fit.teacher?.model ?? "the program's own model"} (the examples the program gets wrong first) and instructions rewritten from its errors, raced on the validation set, round after round`,
    joinsNumbers: true,
  };
}

/** TPE over the searchable variables on validation minibatches, the best raced at the end. */
function fitTpe(fit: FitInput): Fitted {
  const mb = Math.max(1, Math.min(fit.valSize - 1, Math.ceil(fit.valSize / 3)));
  const trials = Math.max(2, Math.floor(fit.searchCalls / (mb * fit.callsPerRun)));
  return { optimizer: new SamplerSearch({ sampler: new TpeSampler(), trials, minibatchSize: mb }), lmCalls: trials * mb * fit.callsPerRun, parameters: { trials, minibatchSize: mb }, notes: [`TPE: ${trials} trials on minibatches of ${mb}`] };
}
