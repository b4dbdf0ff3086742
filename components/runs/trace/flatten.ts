// The span tree as rows in display order, each span followed by its LM calls and then its
// children, with the times the timeline needs.
import type { LMCall, SpanNode, Trace, TraceRow } from "./types";

const lmRow = (call: LMCall, depth: number, ancestors: readonly string[]): TraceRow => {
  const start = Date.parse(call.createdAt);
  return { key: `lm:${call.id}`, kind: "lm", depth, call, start, end: start + call.latencyMs, hasChildren: false, ancestors };
};

export function traceRows(trace: Trace): TraceRow[] {
  const rows: TraceRow[] = [];
  const visit = (span: SpanNode, depth: number, ancestors: readonly string[]) => {
    const key = `span:${span.id}`;
    rows.push({
      key,
      kind: "span",
      depth,
      span,
      start: Date.parse(span.startedAt),
      end: span.endedAt ? Date.parse(span.endedAt) : null,
      hasChildren: span.children.length + span.lmCalls.length > 0,
      ancestors,
    });
    const inner = [...ancestors, key];
    for (const c of span.lmCalls) rows.push(lmRow(c, depth + 1, inner));
    for (const child of span.children) visit(child, depth + 1, inner);
  };
  for (const s of trace.spans) visit(s, 0, []);
  // LM calls recorded outside any span still belong to the run.
  for (const c of trace.lmCalls) if (!c.spanId || !rows.some((r) => r.kind === "span" && r.span.id === c.spanId)) rows.push(lmRow(c, 0, []));
  return rows;
}

/** The time axis: from the run's start to its end (or now, or the latest thing seen, while it runs). */
export function traceWindow(trace: Trace, rows: readonly TraceRow[], now: number): { start: number; end: number } {
  const start = Math.min(Date.parse(trace.run.startedAt), ...rows.map((r) => r.start));
  const ends = rows.map((r) => r.end ?? now);
  const end = trace.run.endedAt ? Math.max(Date.parse(trace.run.endedAt), ...ends) : Math.max(now, ...ends);
  return { start, end: Math.max(end, start + 1) };
}
