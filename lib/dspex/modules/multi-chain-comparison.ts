import type { RunContext } from "../context";
import { DspexError } from "../errors";
import { fieldTypeOf, signature as parseSignature, t } from "../signatures";
import type { Signature, Values } from "../signatures/types";
import { ChainOfThought } from "./chain-of-thought";
import { Module } from "./module";
import { checkPredictOptions, predictOptionsOf } from "./option-keys";
import { Predict, type PredictOptions } from "./predict";
import { attemptRollout } from "./reward";

export interface MultiChainComparisonOptions extends PredictOptions {
  /** Independent reasoning attempts to compare (default 3). */
  readonly m?: number;
  /** Temperature of the attempts (default 1.0). */
  readonly temperature?: number;
}

/**
 * Samples M independent chains of thought, then a comparison step reads them all side by side
 * and writes one holistic rationale and the final outputs.
 */
export class MultiChainComparison<I extends Values = Values, O extends Values = Values> extends Module<I, O & { rationale: string }> {
  readonly baseSignature: Signature<I, O>;
  readonly m: number;
  readonly temperature: number;
  readonly generate: ChainOfThought<I, O>;
  readonly compare: Predict;

  constructor(signature: Signature<I, O> | string, options: MultiChainComparisonOptions = {}) {
    super();
    checkPredictOptions("MultiChainComparison", options, ["m", "temperature"]);
    const base = typeof signature === "string" ? (parseSignature(signature) as unknown as Signature<I, O>) : signature;
    this.m = options.m ?? 3;
    if (!Number.isInteger(this.m) || this.m < 2) throw new DspexError("OPTION_INVALID", `MultiChainComparison: m must be an integer of at least 2; got ${String(options.m)}`);
    this.temperature = options.temperature ?? 1;
    this.baseSignature = base;
    this.generate = new ChainOfThought(base, predictOptionsOf(options));
    let compare = base as unknown as Signature;
    for (let i = 1; i <= this.m; i++) {
      compare = compare.appendInput(`attempt_${i}`, fieldTypeOf(t.string()), { description: `Student attempt ${i}: its reasoning and answer.` });
    }
    compare = compare
      .prependOutput("rationale", fieldTypeOf(t.string()), { description: "Compare the attempts: which steps hold up, which do not, and why." })
      .withInstructions(`${base.instructions}\n\nSeveral independent attempts are given. Compare them critically, then give the best final outputs.`);
    this.compare = new Predict(compare, { settings: options.settings, adapter: options.adapter });
  }

  async forward(inputs: I, ctx: RunContext): Promise<O & { rationale: string }> {
    const attempts: Record<string, string> = {};
    for (let i = 0; i < this.m; i++) {
      const out = await this.generate.run(inputs, {
        ...ctx,
        rolloutId: attemptRollout(ctx.rolloutId, "mcc", i),
        overrideSettings: { ...ctx.overrideSettings, temperature: this.temperature },
      });
      const { reasoning, ...answer } = out;
      const answerText = Object.entries(answer)
        .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
        .join("; ");
      attempts[`attempt_${i + 1}`] = `Reasoning: ${reasoning} Answer: ${answerText}`;
    }
    return (await this.compare.run({ ...inputs, ...attempts }, ctx)) as O & { rationale: string };
  }
}
