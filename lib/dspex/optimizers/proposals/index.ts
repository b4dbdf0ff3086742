export { valueText, formatValues, formatExample, formatExamples, MAX_VALUE_CHARS } from "./format-example";
export { describeProgram, describeStep, stepLabel } from "./describe-program";
export { PROPOSAL_TIPS, PROPOSAL_TIP_NAMES, type ProposalTip } from "./tips";
export { summarizeDataset, datasetSummaryCalls, cleanProposal, type DatasetSummary, type DatasetSummaryOptions } from "./dataset-summary";
export { proposeInstruction, type InstructionProposalInput, type ProposalCall } from "./propose-instruction";
export { describeDataset, extendDatasetObservations, summarizeObservations, proposeStepInstruction } from "./signatures";
export { promptContext } from "./prompt-context";
