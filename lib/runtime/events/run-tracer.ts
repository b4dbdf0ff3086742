// The runtime's tracer for one run: the framework calls startSpan/endSpan/recordLMCall as the
// program runs, and each becomes an event on the stream (run:started, span:finished,
// lmcall:recorded, run:finished). The serving API and jobs create one per request or example.
import { randomBytes, randomUUID } from "node:crypto";
import { addUsage } from "../../dspex/lm";
import type { LMCallRecord, SpanEnd, SpanRecord, SpanStart, Tracer } from "../../dspex/trace";
import type { RuntimeEventPayload, Usage } from "../../schemas";
import { READY, type EmitOptions, type EventBus } from "./event-bus";
import { jsonSafe } from "./json-safe";
import { asSeen, type DescribeCall } from "./call-facts";

/** Where run events go: an `EventBus`, or anything with its `emit`. */
export type EventSink = Pick<EventBus, "emit">;

export interface RunTracerOptions {
  source: RuntimeEventPayload<"run:started">["source"];
  programId?: string | null;
  programName?: string | null;
  versionId?: string | null;
  apiKeyId?: string | null;
  optimizationId?: string | null;
  /** The run's input, as the program received it. */
  input?: unknown;
  /** The caller's labels, recorded on the run and searchable. */
  tags?: readonly string[];
  userId?: string | null;
  sessionId?: string | null;
  /** Default: a new UUID. */
  runId?: string;
  /** Default: 32 random hex digits (a W3C trace id, so OpenTelemetry shows the same id). */
  traceId?: string;
  /** Epoch milliseconds; injected in tests. */
  now?: () => number;
  /** Names each call's provider, unknown price and budget refusal (the LM stack's); default: as seen. */
  describeCall?: DescribeCall;
}

export interface RunEnd {
  status: "ok" | "error";
  output?: unknown;
  error?: string | null;
}

export interface RunSummary {
  readonly runId: string;
  readonly traceId: string;
  readonly status: "ok" | "error";
  readonly latencyMs: number;
  readonly usage: Usage;
  readonly costUsd: number;
  readonly lmCalls: number;
  readonly spans: number;
}

interface OpenSpan {
  readonly start: SpanStart;
  readonly startedAt: number;
}

const EMPTY: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/**
 * Records one run onto the event stream. The tracer methods are synchronous (the framework's hot
 * path); back-pressure is collected and paid in `finish()`, which the caller awaits, so a producer
 * that outruns the database slows down one run at a time.
 */
export class RunRecorder implements Tracer {
  readonly runId: string;
  readonly traceId: string;
  private readonly started: RuntimeEventPayload<"run:started">;
  private readonly now: () => number;
  private readonly describeCall: DescribeCall;
  private readonly open = new Map<string, OpenSpan>();
  private readonly waits: Promise<void>[] = [];
  private usage: Usage = EMPTY;
  private costUsd = 0;
  private lmCalls = 0;
  private spans = 0;
  private finished: Promise<RunSummary> | undefined;

  constructor(
    private readonly sink: EventSink,
    options: RunTracerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.describeCall = options.describeCall ?? asSeen;
    this.runId = options.runId ?? randomUUID();
    this.traceId = options.traceId ?? randomBytes(16).toString("hex");
    this.started = {
      runId: this.runId,
      traceId: this.traceId,
      programId: options.programId ?? null,
      programName: options.programName ?? null,
      versionId: options.versionId ?? null,
      apiKeyId: options.apiKeyId ?? null,
      optimizationId: options.optimizationId ?? null,
      source: options.source,
      input: jsonSafe(options.input),
      startedAt: new Date(this.now()).toISOString(),
      ...(options.tags?.length && { tags: [...options.tags] }),
      ...(options.userId && { userId: options.userId }),
      ...(options.sessionId && { sessionId: options.sessionId }),
    };
    this.track(this.sink.emit("run:started", this.started));
  }

  startSpan(start: SpanStart): string {
    const id = randomUUID();
    this.open.set(id, { start, startedAt: this.now() });
    return id;
  }

  endSpan(id: string, end: SpanEnd): void {
    const span = this.open.get(id);
    if (!span) return;
    this.open.delete(id);
    this.emitSpan(id, span, end.status, end.outputs, end.error ?? null);
  }

  /** A span finished in another process (an agent's handler): recorded with its own id and times. */
  recordSpan(span: SpanRecord): void {
    this.emitSpan(span.id, { start: span, startedAt: span.startedAt }, span.status === "ok" ? "ok" : "error", span.outputs, span.error ?? null, span.endedAt);
  }

  recordLMCall(call: LMCallRecord): void {
    const costUsd = finite(call.costUsd);
    const facts = this.describeCall({ provider: call.provider, model: call.model, cacheHit: call.cacheHit, error: call.error ?? null });
    this.usage = addUsage(this.usage, cleanUsage(call.usage));
    this.costUsd += costUsd;
    this.lmCalls++;
    this.track(
      this.sink.emit("lmcall:recorded", {
        id: call.id,
        runId: this.runId,
        spanId: call.spanId ?? null,
        programId: this.started.programId,
        apiKeyId: this.started.apiKeyId,
        optimizationId: this.started.optimizationId,
        provider: facts.provider,
        model: facts.model,
        usage: cleanUsage(call.usage),
        costUsd,
        priceUnknown: facts.priceUnknown,
        refused: facts.refused,
        latencyMs: finite(call.latencyMs),
        cacheHit: call.cacheHit,
        retries: Math.max(0, Math.trunc(call.retries)),
        adapter: call.adapter || null,
        attempt: call.attempt >= 1 ? Math.trunc(call.attempt) : null,
        error: call.error ?? null,
        request: jsonSafe({ messages: call.messages, responseFormat: call.responseFormat, settings: call.settings }),
        response: call.text === undefined ? undefined : jsonSafe({ text: call.text }),
        at: new Date(call.startedAt).toISOString(),
      }),
    );
  }

  /** Usage and cost of the LM calls recorded so far. */
  totals(): { usage: Usage; costUsd: number; lmCalls: number } {
    return { usage: this.usage, costUsd: this.costUsd, lmCalls: this.lmCalls };
  }

  /**
   * Ends the run: spans still open are closed as errors, then run:finished carries the totals.
   * Resolves once every event of the run has been accepted by the stream (back-pressure), and with
   * `durable`, once they are committed to the database. Calling it again returns the same result.
   */
  finish(end: RunEnd, options: EmitOptions = {}): Promise<RunSummary> {
    this.finished ??= this.doFinish(end, options);
    return this.finished;
  }

  private async doFinish(end: RunEnd, options: EmitOptions): Promise<RunSummary> {
    for (const [id, span] of this.open) this.emitSpan(id, span, "error", undefined, "the run ended before this span did");
    this.open.clear();
    const endedAt = this.now();
    const latencyMs = Math.max(0, endedAt - Date.parse(this.started.startedAt));
    const last = this.sink.emit(
      "run:finished",
      {
        runId: this.runId,
        traceId: this.traceId,
        programId: this.started.programId,
        programName: this.started.programName,
        status: end.status,
        output: jsonSafe(end.output),
        error: end.error ?? null,
        latencyMs,
        usage: this.usage,
        costUsd: this.costUsd,
        endedAt: new Date(endedAt).toISOString(),
      },
      options,
    );
    this.track(last);
    await Promise.all(this.waits);
    this.waits.length = 0;
    return { runId: this.runId, traceId: this.traceId, status: end.status, latencyMs, usage: this.usage, costUsd: this.costUsd, lmCalls: this.lmCalls, spans: this.spans };
  }

  private emitSpan(id: string, span: OpenSpan, status: "ok" | "error", outputs: unknown, error: string | null, endedAt = this.now()): void {
    this.spans++;
    this.track(
      this.sink.emit("span:finished", {
        spanId: id,
        runId: this.runId,
        parentId: span.start.parentId ?? null,
        name: span.start.name,
        kind: span.start.kind,
        path: span.start.path || null,
        status,
        inputs: jsonSafe(span.start.inputs),
        outputs: jsonSafe(outputs),
        error,
        startedAt: new Date(span.startedAt).toISOString(),
        endedAt: new Date(endedAt).toISOString(),
      }),
    );
  }

  private track(wait: Promise<void>): void {
    if (wait === READY) return;
    // The producer pays in finish(); until then a rejection (a durable write that failed) must not go unhandled.
    wait.catch(() => {});
    this.waits.push(wait);
  }
}

/** Starts a run on the stream (emits run:started) and returns its tracer. */
export function createRunTracer(sink: EventSink, options: RunTracerOptions): RunRecorder {
  return new RunRecorder(sink, options);
}

function finite(n: number): number {
  return Number.isFinite(n) && n > 0 ? n : 0;
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0;
}

function cleanUsage(u: Usage): Usage {
  return {
    inputTokens: count(u.inputTokens),
    cachedInputTokens: count(u.cachedInputTokens),
    cacheWriteTokens: count(u.cacheWriteTokens),
    outputTokens: count(u.outputTokens),
    reasoningTokens: count(u.reasoningTokens),
  };
}

