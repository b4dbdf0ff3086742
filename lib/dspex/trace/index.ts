export type { LMCallRecord, SpanEnd, SpanKind, SpanRecord, SpanStart, SpanStatus, Tracer } from "./types";
export { TraceRecorder, TeeTracer, traceTotals, type RunTrace, type TraceTotals } from "./recorder";
