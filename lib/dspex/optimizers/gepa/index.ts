export { Gepa, improves, type GepaCandidate } from "./gepa";
export { GepaOptionsSchema, DEFAULT_MAX_FULL_EVALS, type GepaOptions, type ResolvedGepaOptions } from "./options";
export { instanceFronts, objectiveFronts, removeDominated, parentWeights, selectParent, type Fronts } from "./pareto";
export { ancestorsOf, changedDifferentComponents, findMergeTriplet, mergeTexts, proposeMerge, stratifiedSubsample, mergeAccepted, emptyMergeLog, type Lineage, type MergeLog, type MergeProposal } from "./merge";
export { ReflectionSignature, reflectiveRecords, formatRecords, synthesizeFeedback, proposeInstruction, type ReflectiveRecord, type EvaluatedExample } from "./reflection";
export { EpochBatches } from "./batches";
export { frontReport, defaultReference, type FrontReport, type FrontPoint } from "./front-report";
