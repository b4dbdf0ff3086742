// The ranking's statistics: per task, budget and optimizer, over the seeds, the median test gain,
// its spread, a 95% interval of the mean gain, how often the result was at least the baseline on
// validation, the calls and dollars the server counted, and the quality-cost Pareto front with
// the cheapest optimizer within one standard error of the best.
import { meanAndInterval } from "../../../lib/dspex/evaluate/statistics";
import type { Row } from "../../lib/report";

/** The median over seeds: the middle value, or the mean of the two middle ones for an even count. */
export function seedMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}


export interface RunRecord {
  readonly task: string;
  readonly budget: number;
  readonly seed: number;
  readonly framework: "DSPEx" | "Ax";
  readonly optimizer: string;
  /** LM calls the server received during the optimization (scoring by the bench not included). */
  readonly calls: number;
  readonly usd: number;
  readonly valBaseline: number;
  readonly valFinal: number;
  readonly testBaseline: number;
  readonly testFinal: number;
  readonly seconds: number;
  /** Set when the optimizer did not run (did not fit the budget) or threw. */
  readonly note?: string;
  /** DSPEx: what optimize() planned. */
  readonly plan?: string;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? (x >= 0 ? "+" : "") + x.toFixed(digits) : "n/a");

/** One row per task, budget and optimizer. */
export function summarize(records: readonly RunRecord[]): Row[] {
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = `${r.task}\u0000${r.budget}\u0000${r.framework}\u0000${r.optimizer}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const rows: Row[] = [];
  for (const runs of groups.values()) {
    const ran = runs.filter((r) => !r.note || !r.note.startsWith("did not fit"));
    const first = runs[0]!;
    if (ran.length === 0) {
      rows.push({ task: first.task, budget: first.budget, optimizer: `${first.framework} ${first.optimizer}`, seeds: 0, "median test gain": "n/a", "min..max": "", "95% CI (mean)": "", "val >= base": "", calls: "", usd: "", note: first.note ?? "" });
      continue;
    }
    const gains = ran.map((r) => r.testFinal - r.testBaseline);
    const sorted = [...gains].sort((a, b) => a - b);
    const ci = meanAndInterval(gains);
    rows.push({
      task: first.task,
      budget: first.budget,
      optimizer: `${first.framework} ${first.optimizer}`,
      seeds: ran.length,
      "median test gain": fmt(seedMedian(gains)),
      "min..max": `${fmt(sorted[0]!, 2)}..${fmt(sorted.at(-1)!, 2)}`,
      "95% CI (mean)": `${fmt(ci.low, 2)}..${fmt(ci.high, 2)}`,
      "val >= base": `${ran.filter((r) => r.valFinal >= r.valBaseline - 1e-9).length}/${ran.length}`,
      calls: seedMedian(ran.map((r) => r.calls)),
      usd: Number(seedMedian(ran.map((r) => r.usd)).toFixed(4)),
    });
  }
  return rows;
}

export interface CostFront {
  readonly task: string;
  readonly budget: number;
  /** Optimizers on the quality-cost front: mean test score against median dollars per run. */
  readonly front: ReadonlyArray<{ optimizer: string; score: number; usd: number }>;
  /** The cheapest optimizer whose mean test score is within one standard error of the best one's. */
  readonly cheapestWithin1SE: string;
}

/** Per task and budget, the quality-cost front over optimizers and the cheapest within 1 SE of the best. */
export function costFronts(records: readonly RunRecord[]): CostFront[] {
  const byTaskBudget = new Map<string, RunRecord[]>();
  for (const r of records) if (!r.note) byTaskBudget.set(`${r.task}\u0000${r.budget}`, [...(byTaskBudget.get(`${r.task}\u0000${r.budget}`) ?? []), r]);
  const out: CostFront[] = [];
  for (const runs of byTaskBudget.values()) {
    const names = [...new Set(runs.map((r) => `${r.framework} ${r.optimizer}`))];
    const stats = names.map((optimizer) => {
      const mine = runs.filter((r) => `${r.framework} ${r.optimizer}` === optimizer);
      const s = meanAndInterval(mine.map((r) => r.testFinal));
      return { optimizer, score: s.mean, se: mine.length > 1 ? s.stdev / Math.sqrt(mine.length) : 0, usd: seedMedian(mine.map((r) => r.usd)) };
    });
    const front = stats.filter((a) => !stats.some((b) => b !== a && b.score >= a.score && b.usd <= a.usd && (b.score > a.score || b.usd < a.usd)));
    const best = stats.reduce((a, b) => (b.score > a.score ? b : a));
    const cheapest = stats.filter((s) => s.score >= best.score - best.se).reduce((a, b) => (b.usd < a.usd ? b : a));
    out.push({ task: runs[0]!.task, budget: runs[0]!.budget, front: front.sort((a, b) => a.usd - b.usd).map(({ optimizer, score, usd }) => ({ optimizer, score, usd })), cheapestWithin1SE: cheapest.optimizer });
  }
  return out;
}
