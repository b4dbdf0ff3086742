import type { ChatMessage, ResponseFormat } from "../lm/types";
import type { Signature, Values } from "../signatures/types";

/** A few-shot example: values for some or all of a signature's fields (inputs and outputs, flat). */
export type Demo = Readonly<Values>;

export interface AdapterParams {
  /** The instructions in force (a predictor's own, or its signature's). */
  readonly instructions: string;
  readonly demos: readonly Demo[];
}

export interface FormattedCall {
  readonly messages: readonly ChatMessage[];
  readonly responseFormat?: ResponseFormat;
}

/** One piece of a streamed output field. */
export interface FieldDelta {
  readonly field: string;
  readonly text: string;
}

/** Turns streamed reply text into per-field text as it arrives. */
export interface FieldStreamParser {
  push(chunk: string): readonly FieldDelta[];
  end(): readonly FieldDelta[];
}

/** Builds the messages for a call and reads the outputs back out of the reply. */
export interface Adapter {
  readonly name: string;
  format(signature: Signature, params: AdapterParams, inputs: Values): FormattedCall;
  /** Throws AdapterParseError when the reply cannot be read; outputs are then validated by the caller. */
  parse(signature: Signature, reply: string): Values;
  createStreamParser?(signature: Signature): FieldStreamParser;
  /**
   * Optional: the user turn sent after a reply that could not be used, stating the problem and
   * the reply format this adapter needs. callWithAdapter has a generic default.
   */
  correction?(signature: Signature, problem: string): string;
}
