// Spans from another process: kept whole by a tracer that takes them, replayed (tree and LM calls
// kept) by one that does not.
import { describe, expect, it } from "vitest";
import { TraceRecorder, type LMCallRecord, type SpanEnd, type SpanStart, type Tracer } from "../../../dspex";
import { CollectingTracer, importSpans } from "./remote-trace";

describe("spans across processes", () => {
  const remote = new CollectingTracer();
  const outer = remote.startSpan({ name: "step", kind: "module", parentId: "message-span" });
  const inner = remote.startSpan({ name: "predict", kind: "predict", parentId: outer });
  remote.recordLMCall({ id: "call-1", spanId: inner, model: "m" } as LMCallRecord);
  remote.endSpan(inner, { status: "ok", outputs: { a: 1 } });
  remote.endSpan(outer, { status: "ok" });

  it("a tracer with recordSpan keeps ids and times", () => {
    const local = new TraceRecorder();
    importSpans(local, remote.spans, remote.lmCalls);
    expect(local.spans.map((s) => [s.id, s.parentId])).toEqual([
      [outer, "message-span"],
      [inner, outer],
    ]);
    expect(local.lmCalls[0]!.spanId).toBe(inner);
  });

  it("any other tracer gets them replayed with its own ids, parents and LM calls mapped", () => {
    const started: Array<SpanStart & { id: string }> = [];
    const ended: Array<[string, SpanEnd]> = [];
    const calls: LMCallRecord[] = [];
    let n = 0;
    const plain: Tracer = {
      startSpan: (s) => (started.push({ ...s, id: `local-${++n}` }), `local-${n}`),
      endSpan: (id, e) => void ended.push([id, e]),
      recordLMCall: (c) => void calls.push(c),
    };
    importSpans(plain, remote.spans, remote.lmCalls);
    expect(started.map((s) => [s.id, s.name, s.parentId])).toEqual([
      ["local-1", "step", "message-span"],
      ["local-2", "predict", "local-1"],
    ]);
    expect(ended).toEqual([
      ["local-2", { status: "ok", outputs: { a: 1 } }],
      ["local-1", { status: "ok" }],
    ]);
    expect(calls[0]!.spanId).toBe("local-2");
  });
});
