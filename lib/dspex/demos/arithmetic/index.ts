export { arithmeticTask } from "./task";
export { arithmeticSignature, type ArithmeticInputs, type ArithmeticOutputs } from "./signature";
export { arithmeticMetric } from "./metric";
export { generateArithmeticDataset, arithmeticDatasetText, ARITHMETIC_SEED, ARITHMETIC_COUNT } from "./generate-problems";
