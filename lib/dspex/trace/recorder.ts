import { randomUUID } from "node:crypto";
import { addUsage, EMPTY_USAGE, type Usage } from "../lm/types";
import type { LMCallRecord, SpanEnd, SpanRecord, SpanStart, Tracer } from "./types";

/** What one run left behind: its spans (a tree through parentId) and every LM call. */
export interface RunTrace {
  readonly spans: readonly SpanRecord[];
  readonly lmCalls: readonly LMCallRecord[];
}

/** Keeps spans and LM calls in memory, in the order they started. */
export class TraceRecorder implements Tracer {
  readonly spans: SpanRecord[] = [];
  readonly lmCalls: LMCallRecord[] = [];
  private readonly byId = new Map<string, SpanRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  startSpan(start: SpanStart): string {
    const id = randomUUID();
    const span: SpanRecord = { ...start, id, startedAt: this.now(), status: "running" };
    this.spans.push(span);
    this.byId.set(id, span);
    return id;
  }

  endSpan(id: string, end: SpanEnd): void {
    const span = this.byId.get(id);
    if (!span) return;
    span.endedAt = this.now();
    span.status = end.status;
    if (end.outputs !== undefined) span.outputs = end.outputs;
    if (end.error !== undefined) span.error = end.error;
  }

  recordLMCall(call: LMCallRecord): void {
    this.lmCalls.push(call);
  }

  recordSpan(span: SpanRecord): void {
    const copy: SpanRecord = { ...span };
    this.spans.push(copy);
    this.byId.set(copy.id, copy);
  }

  toJSON(): RunTrace {
    return { spans: this.spans, lmCalls: this.lmCalls };
  }
}

/** Sends every span and LM call to several tracers (e.g. a per-example recorder and the runtime's). */
export class TeeTracer implements Tracer {
  private readonly ids = new Map<string, string[]>();
  constructor(private readonly targets: readonly Tracer[]) {}

  startSpan(start: SpanStart): string {
    const [first, ...rest] = this.targets;
    if (!first) return "";
    const id = first.startSpan(start);
    // Each target keeps its own ids; map the first target's id to the others' for parent links.
    const parentIds = start.parentId ? this.ids.get(start.parentId) : undefined;
    const others = rest.map((t, i) => t.startSpan({ ...start, parentId: parentIds?.[i] ?? start.parentId }));
    this.ids.set(id, others);
    return id;
  }

  endSpan(id: string, end: SpanEnd): void {
    const [first, ...rest] = this.targets;
    first?.endSpan(id, end);
    const others = this.ids.get(id);
    rest.forEach((t, i) => t.endSpan(others?.[i] ?? id, end));
    this.ids.delete(id);
  }

  recordSpan(span: SpanRecord): void {
    for (const t of this.targets) {
      if (t.recordSpan) t.recordSpan(span);
      else {
        const id = t.startSpan(span);
        t.endSpan(id, { status: span.status === "ok" ? "ok" : "error", ...(span.outputs !== undefined && { outputs: span.outputs }), ...(span.error !== undefined && { error: span.error }) });
      }
    }
  }

  recordLMCall(call: LMCallRecord): void {
    const [first, ...rest] = this.targets;
    first?.recordLMCall(call);
    const others = call.spanId ? this.ids.get(call.spanId) : undefined;
    rest.forEach((t, i) => t.recordLMCall({ ...call, spanId: others?.[i] ?? call.spanId }));
  }
}

export interface TraceTotals {
  readonly lmCalls: number;
  readonly usage: Usage;
  /** Dollars of the calls whose price is known. */
  readonly costUsd: number;
  readonly cacheHits: number;
  /** Calls whose model has no known price (their cost is not in costUsd). */
  readonly unpricedCalls: number;
}

export function traceTotals(trace: RunTrace): TraceTotals {
  let usage = EMPTY_USAGE;
  let costUsd = 0;
  let cacheHits = 0;
  let unpricedCalls = 0;
  for (const c of trace.lmCalls) {
    usage = addUsage(usage, c.usage);
    costUsd += c.costUsd;
    if (c.cacheHit) cacheHits++;
    if (c.priceUnknown) unpricedCalls++;
  }
  return { lmCalls: trace.lmCalls.length, usage, costUsd, cacheHits, unpricedCalls };
}
