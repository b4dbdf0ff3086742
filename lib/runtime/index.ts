export { startRuntime, type Runtime, type Service } from "./runtime";
export { getRuntime, setRuntime, findRuntime } from "./registry";
export { EventBus, type BusEvent } from "./events";
export { dspexVersion } from "./version";
export { servingDeps, optimizationJobs, apiKeyLimiter } from "./serving-deps";
