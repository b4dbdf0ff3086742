export { QUALITY, COST, LATENCY, type Direction, type Objective, type Sampler, type SamplerContext, type TrialRecord, type TrialState } from "./types";
export { RandomSampler } from "./random";
export { TpeSampler, defaultGamma, defaultWeights, type TpeSamplerOptions } from "./tpe";
export { GeneticSampler, type GeneticSamplerOptions, type RewriteText } from "./genetic";
export { dominates, nonDominatedSort, nonDominationRanks, paretoFront, crowdingDistance, hypervolume, hypervolumeContributions, type HasValues } from "./pareto";
export { scoredTrials, type ScoredTrial } from "./scores";
export { SamplerOptionError } from "./errors";
