// The launch estimate against the real cost: optimize() on each bundled task through a priced
// stand-in provider (the OpenAI protocol, gpt-4o-mini at its list price), comparing the estimate
// made before the first call with the spend the cost meter recorded. The estimate must come within
// 25% of the real cost.
//   npm run bench -- estimate
import { createLM, createPriceTable, optimize, type OptimizerName } from "../../lib/dspex";
import { DEMO_TASKS } from "../../lib/dspex/demos";
import { DEFAULT_STAND_IN_MODELS, startStandIn } from "../../lib/testing";

const OPTIMIZERS: readonly OptimizerName[] = (process.env.BENCH_OPTIMIZERS?.split(",") as OptimizerName[] | undefined) ?? ["labeled-few-shot", "bootstrap-few-shot", "mipro-v2", "tpe"];

export async function run(): Promise<void> {
  const stand = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, record: false });
  // The stand-in's list prices, for whichever provider name the client carries.
  const prices = createPriceTable({ seed: false, overrides: stand.priceEntries().map(({ provider: _provider, ...entry }) => entry) });
  const lm = createLM({ baseURL: stand.baseURL, apiKey: "sk-bench", model: "gpt-4o-mini", prices });
  const rows: string[] = [];
  const ratios: number[] = [];
  try {
    for (const task of DEMO_TASKS) {
      for (const optimizer of OPTIMIZERS) {
        const data = [...task.dataset.train, ...task.dataset.validation];
        const result = await optimize(task.makeProgram(), data, { lm, prices, metric: task.metric, optimizer, seed: 1, budget: { lmCalls: 400 } });
        const estimated = result.estimate.usd;
        const real = result.spend.usd;
        const ratio = estimated === null || real === null || real === 0 ? Number.NaN : estimated / real;
        ratios.push(ratio);
        rows.push(`| ${task.name} | ${optimizer} | ${result.estimate.lmCalls} / ${result.spend.lmCalls} | ${estimated === null ? "price unknown" : `$${estimated.toFixed(5)}`} | ${real === null ? "price unknown" : `$${real.toFixed(5)}`} | ${ratio.toFixed(2)} |`);
        console.log(rows.at(-1));
      }
    }
  } finally {
    await stand.close();
  }
  const off = ratios.map((r) => Math.abs(r - 1));
  console.log("\n| task | optimizer | LM calls estimated / made | estimate | real cost | estimate / real |\n|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
  console.log(`\nworst: ${(Math.max(...off) * 100).toFixed(1)}% off; median ${(off.sort((a, b) => a - b)[Math.floor(off.length / 2)]! * 100).toFixed(1)}% off`);
}
