import type { Objective } from "../samplers/types";
import type { TrialResult } from "./types";

function better(a: number, b: number, o: Objective): boolean {
  return o.direction === "maximize" ? a > b : a < b;
}

/** Trials no other trial beats on every objective (ties kept). */
export function paretoTrials(trials: readonly TrialResult[], objectives: readonly Objective[]): TrialResult[] {
  const dominated = (a: TrialResult, b: TrialResult) =>
    objectives.every((o, i) => !better(a.values![i]!, b.values![i]!, o)) && objectives.some((o, i) => better(b.values![i]!, a.values![i]!, o));
  return trials.filter((t) => !trials.some((other) => other !== t && dominated(t, other)));
}
