// A money budget cannot be kept on a model whose price is unknown: such a run is refused before
// its first call, naming each model and the way to give it a price (or to mark it free).

import { DspexError } from "../errors";
import type { PriceTable } from "../lm/prices";
import type { LM } from "../lm/types";
import type { Module } from "../modules/module";
import { programSteps, stepPredictor } from "../variables/steps";
import type { VariableSpace } from "../variables";

/** Every model a run may call: each step's own, the LM's default, the model choices searched, the prompt model. */
export function modelsOfRun(program: Module, space: VariableSpace, lm: LM, promptLM: LM | undefined): string[] {
  const models = new Set<string>();
  for (const [path, step] of programSteps(program)) {
    const model = stepPredictor(step, path).settings.model ?? lm.defaultModel;
    if (model !== undefined) models.add(model);
  }
  for (const v of space.searchable()) {
    if (v.target.kind === "setting" && v.target.setting === "model" && v.domain.type === "categorical") {
      for (const choice of v.domain.choices) if (typeof choice === "string") models.add(choice);
    }
  }
  if (promptLM?.defaultModel !== undefined) models.add(promptLM.defaultModel);
  return [...models];
}

/** The provider name prices are looked up under: a router's name is not a provider, so its calls match by model name alone. */
export function priceProviderOf(lm: LM): string | undefined {
  return lm.provider === "providers" || lm.provider === "router" ? undefined : lm.provider;
}

/** Throws BUDGET_UNPRICED when a `usd` budget is set and some model the run may call has no price. */
export async function refuseUnpricedModels(args: { readonly caller: string; readonly usd: number | undefined; readonly models: readonly string[]; readonly lm: LM; readonly prices: PriceTable }): Promise<void> {
  if (args.usd === undefined) return;
  await args.prices.ready();
  const provider = priceProviderOf(args.lm);
  const missing = args.models.filter((m) => args.prices.lookup(m, provider) === undefined);
  if (missing.length === 0) return;
  const first = missing[0] as string;
  throw new DspexError(
    "BUDGET_UNPRICED",
    `${args.caller}: a budget of $${args.usd} cannot be kept: no price is known for ${missing.map((m) => `"${m}"`).join(", ")}, so what its calls cost is unknown. ` +
      `Give it a price (pass { prices: createPriceTable({ overrides: [{ model: "^${first.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$", prices: { input: "<USD per 1M input tokens>", output: "<USD per 1M output tokens>" } }] }) }, or add a price override in Settings), ` +
      `or mark it free with a zero price ({ input: "0", output: "0" }), or budget in lmCalls instead`,
  );
}
