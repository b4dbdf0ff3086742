import { loadDataset } from "../dataset-file";
import { makeDemoProgram } from "../make-program";
import type { DemoProgramOptions, DemoTask } from "../types";
import raw from "./dataset.json";
import { arithmeticMetric } from "./metric";
import { ArithmeticInputsSchema, ArithmeticOutputsSchema, arithmeticSignature, type ArithmeticInputs, type ArithmeticOutputs } from "./signature";

export const arithmeticTask: DemoTask<ArithmeticInputs, ArithmeticOutputs> = Object.freeze({
  name: "arithmetic",
  description:
    "Word problems with 1 to 4 steps (+, -, ×, ÷ on whole numbers). The answer is a number; ChainOfThought (module: \"chain-of-thought\") adds a reasoning field that helps on longer problems.",
  signature: arithmeticSignature,
  makeProgram: (options?: DemoProgramOptions) => makeDemoProgram(arithmeticSignature, options),
  dataset: loadDataset(raw, { inputs: ArithmeticInputsSchema, outputs: ArithmeticOutputsSchema }),
  metric: arithmeticMetric,
});
