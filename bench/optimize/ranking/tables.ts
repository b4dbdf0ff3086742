// The ranking as text: per task, one row per optimizer and one column per budget, each cell the
// median test gain over the seeds with its 95% interval, its spread, how many runs ended at least
// at the baseline on validation, and the median calls counted at the server; then per task and
// budget the quality-cost front and the cheapest optimizer within one standard error of the best.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { meanAndInterval } from "../../../lib/dspex/evaluate/statistics";
import { seedMedian as median } from "./summary";
import { costFronts, type RunRecord } from "./summary";

const signed = (x: number, digits = 2) => `${x >= 0 ? "+" : "-"}${Math.abs(x).toFixed(digits)}`;

function cell(runs: readonly RunRecord[]): string {
  const ran = runs.filter((r) => !r.note?.startsWith("did not fit"));
  if (ran.length === 0) return "did not fit";
  const gains = ran.map((r) => r.testFinal - r.testBaseline);
  const ci = meanAndInterval(gains);
  const sorted = [...gains].sort((a, b) => a - b);
  const atLeast = ran.filter((r) => r.valFinal >= r.valBaseline - 1e-9).length;
  const errors = ran.filter((r) => r.note?.startsWith("error")).length;
  return `${signed(median(gains))} [${signed(ci.low)}, ${signed(ci.high)}] (${signed(sorted[0]!)}..${signed(sorted.at(-1)!)}) ${atLeast}/${ran.length} ${Math.round(median(ran.map((r) => r.calls)))}c${errors ? ` ${errors} err` : ""}`;
}

/** Markdown tables of the ranking, one per task, and the cost fronts. */
export function rankingTables(records: readonly RunRecord[]): string {
  const out: string[] = [];
  const tasks = [...new Set(records.map((r) => r.task))];
  const budgets = [...new Set(records.map((r) => r.budget))].sort((a, b) => a - b);
  for (const task of tasks) {
    const mine = records.filter((r) => r.task === task);
    const first = mine[0]!;
    out.push(`\n${task}: test gain over the baseline (${first.testBaseline.toFixed(2)} on seed ${first.seed}), median [95% CI of the mean] (min..max) over ${new Set(mine.map((r) => r.seed)).size} seeds, runs at least at the baseline on validation, median LM calls at the server`);
    out.push(`| optimizer | ${budgets.map((b) => `${b} calls`).join(" | ")} |`);
    out.push(`|---|${budgets.map(() => "---").join("|")}|`);
    const names = [...new Set(mine.map((r) => `${r.framework} ${r.optimizer}`))];
    for (const name of names) {
      const cells = budgets.map((b) => cell(mine.filter((r) => `${r.framework} ${r.optimizer}` === name && r.budget === b)));
      out.push(`| ${name} | ${cells.join(" | ")} |`);
    }
  }
  out.push("\nquality-cost: per task and budget, the optimizers on the front (mean test score, median $ per run) and the cheapest within one standard error of the best");
  for (const f of costFronts(records)) {
    out.push(`${f.task} ${f.budget}: ${f.front.map((p) => `${p.optimizer} ${p.score.toFixed(2)} $${p.usd.toFixed(4)}`).join("; ")} -> ${f.cheapestWithin1SE}`);
  }
  return out.join("\n");
}

/** Keeps the raw records under bench/results/. */
export async function saveRecords(records: readonly RunRecord[], meta: Record<string, unknown>): Promise<string> {
  const dir = path.resolve(import.meta.dirname, "..", "..", "results");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `optimize-ranking-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, JSON.stringify({ suite: "optimize-ranking", at: new Date().toISOString(), node: process.version, ...meta, records }, null, 2));
  return path.relative(process.cwd(), file);
}
