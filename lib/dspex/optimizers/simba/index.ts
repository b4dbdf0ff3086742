export { Simba } from "./simba";
export { SimbaOptionsSchema, type SimbaOptions, type ResolvedSimbaOptions } from "./options";
export { groupByExample, sortBuckets, percentile, type Bucket, type ScoredRun } from "./buckets";
export { simbaTargets, dropDemos, poisson, trajectoryDemos, appendDemos, appendAdvice, type SimbaTargets } from "./candidates";
export { topKPlusBaseline, softmaxWeights, softmaxPick, finalistPositions, meanScore, type SimbaProgram } from "./pool";
export { AdviceSignature, writeAdvice, type AdviceRequest, type AdviceRun } from "./advice";
