// What every bundled demo task provides: a signature, a program factory, a fixed train /
// validation split and a metric. The dashboard and the optimizers' examples read these.
import type { Demo } from "../adapters/types";
import type { Example } from "../evaluate";
import type { LMSettings } from "../lm/types";
import type { Module } from "../modules";
import type { Signature, Values } from "../signatures/types";

export type DemoModuleKind = "predict" | "chain-of-thought";

export interface DemoProgramOptions {
  /** Replaces the signature's instructions. */
  readonly instructions?: string;
  readonly demos?: readonly Demo[];
  readonly settings?: LMSettings;
  /** "chain-of-thought" adds a `reasoning` output before the answer (default "predict"). */
  readonly module?: DemoModuleKind;
}

export interface DemoDataset<I extends Values = Values, O extends Values = Values> {
  readonly train: readonly Example<I, O>[];
  readonly validation: readonly Example<I, O>[];
}

/** A metric in [0, 1]: 1 is a fully correct prediction. Usable wherever evaluate() takes a Metric. */
export type DemoMetric = (example: Example, prediction: Values) => number;

export interface DemoTask<I extends Values = Values, O extends Values = Values> {
  readonly name: string;
  readonly description: string;
  readonly signature: Signature<I, O>;
  makeProgram(options?: DemoProgramOptions): Module<I, Values>;
  readonly dataset: DemoDataset<I, O>;
  readonly metric: DemoMetric;
}
