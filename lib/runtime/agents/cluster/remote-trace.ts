// Spans across processes. The sender opens the message's span in its own run's trace; the
// receiving node runs the handler under a tracer that keeps what it records, and sends those
// spans and LM calls back with the reply; the sender adds them to its run. A tracer that can
// take finished spans whole (recordSpan) keeps their times; any other gets them replayed.
import { randomUUID } from "node:crypto";
import type { LMCallRecord, SpanEnd, SpanRecord, SpanStart, Tracer } from "../../../dspex";

/** Keeps the spans and LM calls of one handled message, to send back with its reply. */
export class CollectingTracer implements Tracer {
  readonly spans: SpanRecord[] = [];
  readonly lmCalls: LMCallRecord[] = [];
  private readonly open = new Map<string, SpanRecord>();

  startSpan(start: SpanStart): string {
    const span: SpanRecord = { ...start, id: randomUUID(), startedAt: Date.now(), status: "running" };
    this.open.set(span.id, span);
    this.spans.push(span);
    return span.id;
  }

  endSpan(id: string, end: SpanEnd): void {
    const span = this.open.get(id);
    if (!span) return;
    this.open.delete(id);
    span.endedAt = Date.now();
    span.status = end.status;
    if (end.outputs !== undefined) span.outputs = end.outputs;
    if (end.error !== undefined) span.error = end.error;
  }

  recordLMCall(call: LMCallRecord): void {
    this.lmCalls.push(call);
  }
}

/** Adds spans recorded in another process to a run's tracer, keeping their tree. */
export function importSpans(tracer: Tracer, spans: readonly SpanRecord[], lmCalls: readonly LMCallRecord[]): void {
  if (tracer.recordSpan) {
    for (const span of spans) tracer.recordSpan(span);
    for (const call of lmCalls) tracer.recordLMCall(call);
    return;
  }
  // Replay: new ids from this tracer, parents mapped; times are those of the replay.
  const ids = new Map<string, string>();
  for (const span of spans) {
    const parentId = span.parentId === undefined ? undefined : (ids.get(span.parentId) ?? span.parentId);
    const { id: _id, startedAt: _s, endedAt: _e, status: _st, outputs: _o, error: _er, ...start } = span;
    ids.set(span.id, tracer.startSpan({ ...start, ...(parentId !== undefined && { parentId }) }));
  }
  for (const span of [...spans].reverse()) {
    tracer.endSpan(ids.get(span.id)!, { status: span.status === "ok" ? "ok" : "error", ...(span.outputs !== undefined && { outputs: span.outputs }), ...(span.error !== undefined && { error: span.error }) });
  }
  for (const call of lmCalls) tracer.recordLMCall({ ...call, ...(call.spanId !== undefined && { spanId: ids.get(call.spanId) ?? call.spanId }) });
}
