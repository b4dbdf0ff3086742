export { EventBus, READY, type BusEvent, type BusListener, type EmitOptions, type EventBusOptions } from "./event-bus";
export { EventStreamError, type EventStreamErrorCode } from "./errors";
export { routeEvent, stateKey, type AnyServerEvent } from "./routing";
export { RunRecorder, createRunTracer, type EventSink, type RunEnd, type RunSummary, type RunTracerOptions } from "./run-tracer";
export {
  EventWriter,
  EventWriterConfigSchema,
  createEventWriter,
  type DeadLetter,
  type EventWriterConfig,
  type EventWriterOptions,
  type EventWriterStats,
} from "./event-writer";
export { PERSISTED_EVENTS } from "./write-batch";
export {
  createSocketBridge,
  SocketBridgeConfigSchema,
  type RealtimeServer,
  type SocketBridge,
  type SocketBridgeConfig,
  type SocketBridgeOptions,
  type SocketBridgeStats,
} from "./socket-bridge";
export { createOtelExport, otlpTracesUrlFromEnv, type OtelExport, type OtelExportOptions } from "./otel-export";
export {
  pruneOlderThan,
  retentionCutoffs,
  RetentionPolicySchema,
  type PruneOptions,
  type PruneReport,
  type RetentionCutoffs,
  type RetentionPolicy,
} from "./retention";
export { createEventPipeline, type EventPipeline, type EventPipelineOptions } from "./pipeline";
export { jsonSafe } from "./json-safe";
export { withLMCallRecording, type LMCallScopes } from "./lm-call-recording";
export { asSeen, isBudgetRefusal, type CallFacts, type CallSeen, type DescribeCall } from "./call-facts";
export { withRunPerCall, type CallRunScopes } from "./lm-call-runs";
