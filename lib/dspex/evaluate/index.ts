export { evaluate, normalizeMetric, type EvaluateOptions } from "./evaluate";
export { exactMatch, f1, numericMatch, lmJudge, normalizeText, outputsMatch, tokenF1, toNumber } from "./metrics";
export { meanAndInterval, percentiles, t95 } from "./statistics";
export type { EvaluationProgress, EvaluationReport, Example, ExampleResult, Metric, MetricValue, Percentiles } from "./types";
