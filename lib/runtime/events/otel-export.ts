// Optional OpenTelemetry export: runs, spans and LM calls leave as OTLP/HTTP traces to any
// collector (Jaeger, Tempo, Phoenix, Langfuse...). Off unless an endpoint is configured (option or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT). Spans are built from finished
// events (the stream has their start and end), batched by the SDK's BatchSpanProcessor, whose
// bounded queue drops rather than slows the runtime when the collector is slow.
//
// Ids: the run's trace id is the OpenTelemetry trace id (a 32-hex trace id is used as is, any
// other id is hashed); span ids are derived from DSPEx ids, so parents link without bookkeeping.
// The exact messages are not exported unless `includeMessages` is set.
import { createHash } from "node:crypto";
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes, type HrTime, type SpanContext } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import type { RuntimeEventPayload } from "../../schemas";
import type { BusEvent, BusListener } from "./event-bus";

export interface OtelExportOptions {
  /** OTLP/HTTP base URL (e.g. http://127.0.0.1:4318); "/v1/traces" is appended. */
  endpoint?: string;
  /** Full traces URL, used as given (wins over `endpoint`). */
  tracesUrl?: string;
  headers?: Record<string, string>;
  /** service.name of the exported resource (default "dspex"). */
  serviceName?: string;
  /** Export the exact LM messages and reply as span attributes (default false). */
  includeMessages?: boolean;
  /** Batching of the SDK's processor. */
  scheduledDelayMillis?: number;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  /** Replaces the OTLP exporter (tests). */
  exporter?: SpanExporter;
}

export interface OtelExport {
  readonly url: string;
  readonly listener: BusListener;
  /** Sends every span queued so far. */
  flush(): Promise<void>;
  /** Flushes, then stops exporting. */
  shutdown(): Promise<void>;
}

/** The traces URL that the environment asks for, or undefined (export off). */
export function otlpTracesUrlFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, "")}/v1/traces` : undefined;
}

/** Starts the export when an endpoint is given (by option or environment); otherwise returns undefined. */
export function createOtelExport(options: OtelExportOptions = {}, env: Readonly<Record<string, string | undefined>> = process.env): OtelExport | undefined {
  const url = options.tracesUrl ?? (options.endpoint ? `${options.endpoint.replace(/\/+$/, "")}/v1/traces` : otlpTracesUrlFromEnv(env));
  if (!url) return undefined;
  const exporter = options.exporter ?? new OTLPTraceExporter({ url, headers: options.headers });
  const processor = new BatchSpanProcessor(exporter, {
    scheduledDelayMillis: options.scheduledDelayMillis ?? 1_000,
    maxQueueSize: options.maxQueueSize ?? 8_192,
    maxExportBatchSize: options.maxExportBatchSize ?? 512,
  });
  const spans = new SpanBuilder(resourceFromAttributes({ "service.name": options.serviceName ?? "dspex" }), options.includeMessages === true);
  const listener: BusListener = (event: BusEvent) => {
    switch (event.name) {
      case "run:started":
        spans.runStarted(event.payload);
        return;
      case "run:finished":
        processor.onEnd(spans.run(event.payload));
        return;
      case "span:finished":
        processor.onEnd(spans.span(event.payload));
        return;
      case "lmcall:recorded":
        processor.onEnd(spans.lmCall(event.payload));
        return;
      default:
        return;
    }
  };
  return { url, listener, flush: () => processor.forceFlush(), shutdown: () => processor.shutdown() };
}

interface SpanFields {
  name: string;
  kind: SpanKind;
  traceId: string;
  spanId: string;
  parentId?: string;
  startMs: number;
  endMs: number;
  error?: string | null;
  attributes: Attributes;
}

/** Turns finished events into finished OpenTelemetry spans. */
class SpanBuilder {
  /** Runs in flight: their trace id (from run:started), so spans and LM calls join the right trace. */
  private readonly traces = new Map<string, string>();
  private static readonly MAX_OPEN_RUNS = 50_000;
  private readonly scope = { name: "dspex.runtime" };

  constructor(
    private readonly resource: Resource,
    private readonly includeMessages: boolean,
  ) {}

  runStarted(p: RuntimeEventPayload<"run:started">): void {
    if (this.traces.size >= SpanBuilder.MAX_OPEN_RUNS) this.traces.delete(this.traces.keys().next().value!);
    this.traces.set(p.runId, hex(p.traceId, 32));
  }

  run(p: RuntimeEventPayload<"run:finished">): ReadableSpan {
    const traceId = this.traces.get(p.runId) ?? hex(p.traceId, 32);
    this.traces.delete(p.runId);
    const endMs = Date.parse(p.endedAt);
    return this.readable({
      name: `run ${p.programName ?? "program"}`,
      kind: SpanKind.SERVER,
      traceId,
      spanId: hex(p.runId, 16),
      startMs: endMs - p.latencyMs,
      endMs,
      error: p.status === "error" ? (p.error ?? "error") : null,
      attributes: compact({
        "dspex.run.id": p.runId,
        "dspex.program.id": p.programId,
        "dspex.program.name": p.programName,
        "dspex.cost_usd": p.costUsd,
        "gen_ai.usage.input_tokens": p.usage.inputTokens,
        "gen_ai.usage.output_tokens": p.usage.outputTokens,
      }),
    });
  }

  span(p: RuntimeEventPayload<"span:finished">): ReadableSpan {
    const startMs = Date.parse(p.startedAt);
    return this.readable({
      name: p.name,
      kind: SpanKind.INTERNAL,
      traceId: this.traceOf(p.runId),
      spanId: hex(p.spanId, 16),
      parentId: hex(p.parentId ?? p.runId, 16),
      startMs,
      endMs: p.endedAt ? Date.parse(p.endedAt) : startMs,
      error: p.status === "error" ? (p.error ?? "error") : null,
      attributes: compact({ "dspex.span.kind": p.kind, "dspex.span.path": p.path, "dspex.run.id": p.runId }),
    });
  }

  lmCall(p: RuntimeEventPayload<"lmcall:recorded">): ReadableSpan {
    const startMs = Date.parse(p.at);
    const messages = this.includeMessages;
    return this.readable({
      name: `chat ${p.model}`,
      kind: SpanKind.CLIENT,
      traceId: this.traceOf(p.runId),
      spanId: hex(p.id, 16),
      parentId: p.spanId ? hex(p.spanId, 16) : p.runId ? hex(p.runId, 16) : undefined,
      startMs,
      endMs: startMs + p.latencyMs,
      error: p.error,
      attributes: compact({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": p.provider,
        "gen_ai.request.model": p.model,
        "gen_ai.usage.input_tokens": p.usage.inputTokens,
        "gen_ai.usage.output_tokens": p.usage.outputTokens,
        "dspex.usage.cached_input_tokens": p.usage.cachedInputTokens,
        "dspex.usage.cache_write_tokens": p.usage.cacheWriteTokens,
        "dspex.usage.reasoning_tokens": p.usage.reasoningTokens,
        "dspex.cost_usd": p.costUsd,
        "dspex.cache_hit": p.cacheHit,
        "dspex.retries": p.retries,
        "dspex.adapter": p.adapter,
        "dspex.attempt": p.attempt,
        "dspex.lmcall.id": p.id,
        "dspex.request": messages && p.request !== undefined ? JSON.stringify(p.request) : undefined,
        "dspex.response": messages && p.response !== undefined ? JSON.stringify(p.response) : undefined,
      }),
    });
  }

  private traceOf(runId: string | null): string {
    return runId ? (this.traces.get(runId) ?? hex(runId, 32)) : hex("dspex-no-run", 32);
  }

  private readable(s: SpanFields): ReadableSpan {
    const ctx = (spanId: string): SpanContext => ({ traceId: s.traceId, spanId, traceFlags: TraceFlags.SAMPLED, isRemote: false });
    const endMs = Math.max(s.startMs, s.endMs);
    return {
      name: s.name,
      kind: s.kind,
      spanContext: () => ctx(s.spanId),
      parentSpanContext: s.parentId ? ctx(s.parentId) : undefined,
      startTime: hrTime(s.startMs),
      endTime: hrTime(endMs),
      duration: hrTime(endMs - s.startMs),
      status: s.error ? { code: SpanStatusCode.ERROR, message: s.error } : { code: SpanStatusCode.OK },
      attributes: s.attributes,
      links: [],
      events: [],
      ended: true,
      resource: this.resource,
      instrumentationScope: this.scope,
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }
}

/** An id as `length` hex digits: itself when it already is one (a W3C trace id), else a hash of it. */
function hex(id: string, length: 16 | 32): string {
  if (id.length === length && /^[0-9a-f]+$/.test(id) && !/^0+$/.test(id)) return id;
  return createHash("sha256").update(id).digest("hex").slice(0, length);
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

function compact(attributes: Record<string, string | number | boolean | null | undefined>): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}
