export { TpeSampler, type TpeSamplerOptions } from "./tpe-sampler";
export { defaultGamma, defaultWeights } from "./weights";
