import type { Example } from "../evaluate/types";
import { countTokens, type PriceTable } from "../lm";
import type { LM } from "../lm/types";
import type { Module } from "../modules/module";
import type { VariableSpace } from "../variables";
import { programSteps, stepPredictor } from "../variables";
import type { CostEstimate, Optimizer } from "./types";

/** Tokens assumed per reply when estimating (replies are not known before they are written). */
export const ESTIMATED_OUTPUT_TOKENS = 200;

/**
 * What an optimization will cost before it starts: the optimizer's planned LM calls (plus the
 * baseline evaluation) times the price of a typical call of this program on this model.
 */
export async function estimateCost(args: {
  readonly optimizer: Optimizer;
  readonly program: Module;
  readonly space: VariableSpace;
  readonly trainset: readonly Example[];
  readonly valset: readonly Example[];
  readonly lm: LM;
  readonly prices: PriceTable;
}): Promise<CostEstimate> {
  const steps = programSteps(args.program);
  const callsPerRun = Math.max(1, steps.length);
  const plan = args.optimizer.plan({ space: args.space, trainSize: args.trainset.length, valSize: args.valset.length, callsPerRun });
  const baselineCalls = args.valset.length * callsPerRun;
  const lmCalls = plan.lmCalls + baselineCalls;

  // A typical call: the first step's prompt on the first example, as the adapter builds it.
  let inputTokens = 500;
  const first = steps[0];
  const example = args.trainset[0] ?? args.valset[0];
  if (first && example) {
    const predictor = stepPredictor(first[1], first[0]);
    const inputs = Object.fromEntries(predictor.signature.inputs.filter((f) => f.name in example.inputs).map((f) => [f.name, example.inputs[f.name]]));
    try {
      const call = predictor.format(inputs as never);
      const counts = await Promise.all(call.messages.map((m) => countTokens(m.content)));
      inputTokens = counts.reduce((n, c) => n + c + 4, 0);
    } catch {
      // Inputs that do not fit the first step (a multi-step program): keep the default guess.
    }
  }
  await args.prices.ready();
  const model = (first && stepPredictor(first[1], first[0]).settings.model) ?? args.lm.defaultModel ?? "unknown";
  const perCall = args.prices.cost({ inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: ESTIMATED_OUTPUT_TOKENS, reasoningTokens: 0 }, model, args.lm.provider);
  const notes = [
    `${plan.lmCalls} LM calls planned by ${args.optimizer.name}${plan.notes?.length ? ` (${plan.notes.join("; ")})` : ""}, plus ${baselineCalls} for the baseline`,
    `about ${inputTokens} input and ${ESTIMATED_OUTPUT_TOKENS} output tokens per call on ${model}`,
    perCall.priced ? `$${perCall.usd.toFixed(6)} per call` : `no price known for ${model}: the estimate counts calls only`,
  ];
  return { lmCalls, trials: plan.trials + 1, usd: perCall.priced ? perCall.usd * lmCalls : 0, notes };
}
