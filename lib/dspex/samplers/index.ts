export { QUALITY, COST, LATENCY, type Direction, type Objective, type Sampler, type SamplerContext, type TrialRecord, type TrialState } from "./types";
