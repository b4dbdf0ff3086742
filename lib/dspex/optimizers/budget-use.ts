import type { BudgetUse, SpendPart, TrialResult } from "./types";

type Part = Exclude<keyof BudgetUse, "proposals">;

/** Which part of the budget a trial's calls belong to. */
export function budgetPartOf(trial: TrialResult): Part {
  if (trial.meta?.role === "baseline") return "baseline";
  if (trial.meta?.finalist === true) return "finalValidation";
  if (trial.set === "train" && (trial.meta?.role === "bootstrap" || trial.meta?.role === "teacher")) return "bootstrap";
  return trial.evaluation === "full" ? "fullEvaluations" : "minibatches";
}

/** Where the calls went: the trials by part, and the prompt model's calls as proposals. */
export function budgetUseOf(trials: readonly TrialResult[], proposals: SpendPart): BudgetUse {
  const parts: Record<Part, { lmCalls: number; usd: number }> = {
    baseline: { lmCalls: 0, usd: 0 },
    bootstrap: { lmCalls: 0, usd: 0 },
    minibatches: { lmCalls: 0, usd: 0 },
    fullEvaluations: { lmCalls: 0, usd: 0 },
    finalValidation: { lmCalls: 0, usd: 0 },
  };
  for (const t of trials) {
    const part = parts[budgetPartOf(t)];
    part.lmCalls += t.lmCalls;
    part.usd += t.costUsd;
  }
  return { ...parts, proposals: { lmCalls: proposals.lmCalls, usd: proposals.usd } };
}

/** One line per part with calls, for logs and reports. */
export function describeBudgetUse(use: BudgetUse): string {
  const names: Record<keyof BudgetUse, string> = {
    baseline: "baseline",
    bootstrap: "bootstrapping",
    proposals: "proposals",
    minibatches: "minibatches",
    fullEvaluations: "full evaluations",
    finalValidation: "final validation",
  };
  const parts = (Object.keys(names) as (keyof BudgetUse)[]).filter((k) => use[k].lmCalls > 0).map((k) => `${names[k]} ${use[k].lmCalls}`);
  return parts.length ? `LM calls: ${parts.join(", ")}` : "no LM calls";
}
