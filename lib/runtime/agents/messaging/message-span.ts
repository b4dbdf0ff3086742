// Every message between agents is a span (kind "message") in the trace of the run that caused
// it: started when the message is sent, ended when its reply is settled (or, for a send, when
// it has been handled). The handler then runs under that span, so whatever it does (LM calls,
// further messages) nests below it.
import type { Tracer } from "../../../dspex";

/** Where a message's span goes: the tracer of the run that caused it, and the span it nests under. */
export interface TraceContext {
  readonly tracer: Tracer;
  readonly parentSpanId?: string;
}

export interface MessageSpanStart {
  readonly type: string;
  /** The sending agent's id, when an agent sent it. */
  readonly from?: string;
  readonly to: { readonly id: string; readonly name: string };
  readonly mode: "ask" | "send" | "publish";
  readonly topic?: string;
  readonly payload?: unknown;
}

export interface OpenMessageSpan {
  readonly trace: TraceContext;
  readonly spanId: string;
  /** Opened (and ended) by the sender in another process: the handler only runs under it. */
  readonly external?: true;
}

export function startMessageSpan(trace: TraceContext, start: MessageSpanStart): OpenMessageSpan {
  const spanId = trace.tracer.startSpan({
    name: `${start.type} → ${start.to.name}`,
    kind: "message",
    ...(trace.parentSpanId !== undefined && { parentId: trace.parentSpanId }),
    inputs: start.payload,
    attributes: {
      type: start.type,
      mode: start.mode,
      to: start.to.id,
      ...(start.from !== undefined && { from: start.from }),
      ...(start.topic !== undefined && { topic: start.topic }),
    },
  });
  return { trace, spanId };
}

export function endMessageSpan(span: OpenMessageSpan, outcome: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }): void {
  if (span.external) return;
  if (outcome.ok) span.trace.tracer.endSpan(span.spanId, { status: "ok", outputs: outcome.value });
  else span.trace.tracer.endSpan(span.spanId, { status: "error", error: outcome.error instanceof Error ? outcome.error.message : String(outcome.error) });
}

/** A span the sender opened elsewhere (`trace.parentSpanId`), for a handler to run under. */
export function externalSpan(trace: TraceContext): OpenMessageSpan | undefined {
  return trace.parentSpanId === undefined ? undefined : { trace, spanId: trace.parentSpanId, external: true };
}

/** The trace context a handler passes on: the same tracer, under the message's span. */
export function childTrace(span: OpenMessageSpan | undefined): TraceContext | undefined {
  return span ? { tracer: span.trace.tracer, parentSpanId: span.spanId } : undefined;
}
