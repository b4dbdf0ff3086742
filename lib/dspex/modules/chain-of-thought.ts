import type { FormattedCall } from "../adapters/types";
import type { RunContext } from "../context";
import { signature as parseSignature, t, fieldTypeOf } from "../signatures";
import type { Signature, Values } from "../signatures/types";
import { Module } from "./module";
import { checkPredictOptions } from "./option-keys";
import { Predict, type PredictOptions, type PredictPatch } from "./predict";

export type WithReasoning<O extends Values> = { reasoning: string } & O;

const REASONING_DESCRIPTION = "Think step by step: the reasoning that leads to the outputs.";

export function withReasoning<I extends Values, O extends Values>(base: Signature<I, O>, description = REASONING_DESCRIPTION): Signature<I, WithReasoning<O>> {
  return base.prependOutput<"reasoning", string>("reasoning", fieldTypeOf(t.string()), { description });
}

/** Predict, with a "reasoning" output written before the others. */
export class ChainOfThought<I extends Values = Values, O extends Values = Values> extends Module<I, WithReasoning<O>> {
  /** The signature without the reasoning field. */
  readonly baseSignature: Signature<I, O>;
  readonly predict: Predict<I, WithReasoning<O>>;

  constructor(signature: Signature<I, O> | string, options: PredictOptions = {}) {
    super();
    checkPredictOptions("ChainOfThought", options);
    this.baseSignature = typeof signature === "string" ? (parseSignature(signature) as unknown as Signature<I, O>) : signature;
    this.predict = new Predict(withReasoning(this.baseSignature), options);
  }

  get signature(): Signature<I, WithReasoning<O>> {
    return this.predict.signature;
  }

  /** The same step as ChainOfThought, keeping instructions, demos and settings. */
  static fromPredict<I extends Values, O extends Values>(predict: Predict<I, O>): ChainOfThought<I, O> {
    return new ChainOfThought(predict.signature, predict.params);
  }

  /** The same step without reasoning, keeping instructions, demos and settings. */
  toPredict(): Predict<I, O> {
    return new Predict(this.baseSignature, this.predict.params);
  }

  with(patch: PredictPatch): ChainOfThought<I, O> {
    const copy = this.clone();
    (copy as { predict: Predict<I, WithReasoning<O>> }).predict = this.predict.with(patch);
    return copy;
  }

  /** The messages of its one LM call (see Predict.format). */
  override format(inputs: I, context: Partial<RunContext> = {}): FormattedCall {
    return this.predict.format(inputs, context);
  }

  forward(inputs: I, ctx: RunContext): Promise<WithReasoning<O>> {
    return this.predict.run(inputs, ctx);
  }
}
