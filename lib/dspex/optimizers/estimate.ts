import type { Example } from "../evaluate/types";
import { countTokens, type PriceTable } from "../lm";
import type { LM } from "../lm/types";
import type { Module } from "../modules/module";
import type { VariableSpace } from "../variables";
import { programSteps, stepPredictor } from "../variables";
import { priceProviderOf } from "./price-check";
import type { CostEstimate, Optimizer } from "./types";

/** Tokens assumed per reply when no example shows what a reply looks like. */
export const ESTIMATED_OUTPUT_TOKENS = 200;
/** Tokens a ChainOfThought step writes as its reasoning before the outputs (examples carry none). */
const REASONING_TOKENS = 60;
/** Examples a reply's length is averaged over. */
const SAMPLED_EXAMPLES = 8;

/** The provider (and the model name it is sent as) that serves a model reference; throws when none does. */
export type ServedBy = (model: string) => { readonly provider: string; readonly model: string | undefined };

function servedAs(servedBy: ServedBy | undefined, model: string): { provider: string; model: string | undefined } | undefined {
  if (!servedBy) return undefined;
  try {
    return servedBy(model);
  } catch {
    return undefined; // a model no provider serves: priced (or not) under the LM's own provider name
  }
}

/** A typical call of a program: its first step's prompt on the examples, on the models trials may use. */
export interface TypicalCall {
  readonly inputTokens: number;
  /** The reply's tokens: the examples' expected outputs as the adapter writes them (plus reasoning for ChainOfThought). */
  readonly outputTokens: number;
  readonly model: string;
  /** The call's price, averaged over the models trials may use; undefined when one of them has no known price. */
  readonly usd: number | undefined;
  /** The models with no known price. */
  readonly unpriced: readonly string[];
}

const tokensOf = async (messages: readonly { readonly content: string }[]) => (await Promise.all(messages.map((m) => countTokens(m.content)))).reduce((n, c) => n + c + 4, 0);

export async function typicalCall(args: {
  readonly program: Module;
  readonly example: Example | undefined;
  readonly lm: LM;
  readonly prices: PriceTable;
  /** More examples to average the prompt and reply over (the training set). */
  readonly examples?: readonly Example[];
  /** Every model trials may call (a model variable's choices); default the first step's. */
  readonly models?: readonly string[];
  /** Demos a trial shows on average (when demos are searched); each adds an example's prompt and reply. */
  readonly demos?: number;
  readonly servedBy?: ServedBy;
}): Promise<TypicalCall> {
  const steps = programSteps(args.program);
  let inputTokens = 500;
  let outputTokens = ESTIMATED_OUTPUT_TOKENS;
  const first = steps[0];
  const sample = [...(args.example ? [args.example] : []), ...(args.examples ?? [])].slice(0, SAMPLED_EXAMPLES);
  if (first && sample.length > 0) {
    const predictor = stepPredictor(first[1], first[0]);
    const inputsOf = (example: Example) => Object.fromEntries(predictor.signature.inputs.filter((f) => f.name in example.inputs).map((f) => [f.name, example.inputs[f.name]]));
    try {
      const prompts: number[] = [];
      const replies: number[] = [];
      for (const example of sample) {
        const plain = predictor.format(inputsOf(example) as never).messages;
        prompts.push(await tokensOf(plain));
        // The example shown as a demo: its reply is written the way the model is asked to write one.
        const shown = predictor.with({ demos: [{ ...example.inputs, ...example.outputs }] }).format(inputsOf(example) as never).messages;
        const reply = [...shown].reverse().find((m) => m.role === "assistant");
        if (reply) replies.push(await countTokens(reply.content));
      }
      const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      inputTokens = Math.round(mean(prompts));
      if (replies.length > 0) {
        outputTokens = Math.round(mean(replies)) + (first[1].kind === "ChainOfThought" ? REASONING_TOKENS : 0);
        // Each demo repeats an example's inputs and its reply in the prompt.
        const perDemo = Math.max(0, mean(prompts) - (await tokensOf(predictor.format(Object.fromEntries(predictor.signature.inputs.map((f) => [f.name, ""])) as never).messages))) + mean(replies);
        inputTokens += Math.round((args.demos ?? 0) * perDemo);
      }
    } catch {
      // Inputs that do not fit the first step (a multi-step program): keep the default guesses.
    }
  }
  await args.prices.ready();
  const model = (first && stepPredictor(first[1], first[0]).settings.model) ?? args.lm.defaultModel ?? "unknown";
  const models = args.models !== undefined && args.models.length > 0 ? args.models : [model];
  const usage = { inputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens, reasoningTokens: 0 };
  const costs = models.map((m) => {
    const served = servedAs(args.servedBy, m);
    return args.prices.cost(usage, served?.model ?? m, served ? served.provider : priceProviderOf(args.lm));
  });
  const unpriced = models.filter((_, i) => !costs[i]!.priced);
  const usd = unpriced.length === 0 ? costs.reduce((n, c) => n + c.usd, 0) / costs.length : undefined;
  return { inputTokens, outputTokens, model: models.length === 1 ? models[0]! : models.join(" | "), usd, unpriced };
}

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
  /** Which provider serves a model, when `lm` routes between providers: calls are priced at that provider's price. */
  readonly servedBy?: ServedBy;
}): Promise<CostEstimate> {
  const callsPerRun = Math.max(1, programSteps(args.program).length);
  const plan = args.optimizer.plan({ space: args.space, trainSize: args.trainset.length, valSize: args.valset.length, callsPerRun });
  const baselineCalls = args.valset.length * callsPerRun;
  const lmCalls = plan.lmCalls + baselineCalls;
  const call = await typicalCall({
    program: args.program,
    example: args.trainset[0] ?? args.valset[0],
    examples: args.trainset,
    lm: args.lm,
    prices: args.prices,
    models: searchedModels(args.space),
    demos: demosShown(args.space, args.trainset.length, args.optimizer.name),
    ...(args.servedBy && { servedBy: args.servedBy }),
  });
  const notes = [
    `${plan.lmCalls} LM calls planned by ${args.optimizer.name}${plan.notes?.length ? ` (${plan.notes.join("; ")})` : ""}, plus ${baselineCalls} for the baseline`,
    `about ${call.inputTokens} input and ${call.outputTokens} output tokens per call on ${call.model}`,
    call.usd !== undefined ? `$${call.usd.toFixed(6)} per call` : `price unknown for ${call.unpriced.join(", ")}: the estimate counts calls only (set a price in Settings → Prices, or mark the model free with a price of 0)`,
  ];
  return { lmCalls, trials: plan.trials + 1, usd: call.usd !== undefined ? call.usd * lmCalls : null, notes };
}

/** The choices of the model variables searched (trials call each); undefined when no model is searched. */
export function searchedModels(space: VariableSpace): string[] | undefined {
  const models = new Set<string>();
  for (const v of space.searchable()) {
    if (v.target.kind === "setting" && v.target.setting === "model" && v.domain.type === "categorical") {
      for (const choice of v.domain.choices) if (typeof choice === "string") models.add(choice);
    }
  }
  return models.size > 0 ? [...models] : undefined;
}

/** Optimizers that sample values only: they leave a step's demos as they are. */
const SAMPLERS = /^(tpe|random|genetic)/;

/**
 * Demos a trial shows on average: few-shot optimizers (labeled, bootstrap, MIPROv2, SIMBA, GEPA...)
 * fill each step's demos up to the most it takes, within the training set; samplers add none.
 */
export function demosShown(space: VariableSpace, trainSize: number, optimizer: string): number {
  const demos = space.searchable().filter((v) => v.target.kind === "demos");
  if (demos.length === 0 || SAMPLERS.test(optimizer)) return 0;
  return Math.min(trainSize, Math.max(...demos.map((v) => v.maxItems ?? 8)));
}
