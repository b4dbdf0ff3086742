import { describe, expect, it } from "vitest";
import { ChainOfThought, Module, Predict, type RunContext } from "../../dspex";
import { byFields, FakeLM } from "../../dspex/testing";
import type { RuntimeEventName, RuntimeEventPayload } from "../../schemas";
import { createRunTracer, EventBus, READY, type BusEvent } from "./index";

class Pipeline extends Module<{ text: string }, { title: string }> {
  readonly summarize = new Predict("text -> summary");
  readonly title = new ChainOfThought("summary -> title");
  async forward(inputs: { text: string }, ctx: RunContext) {
    const { summary } = (await this.summarize.run(inputs, ctx)) as { summary: string };
    const { title } = await this.title.run({ summary }, ctx);
    return { title: String(title) };
  }
}

const lm = () =>
  new FakeLM((request) => ({
    text: byFields((inputs, outputs) => Object.fromEntries(outputs.map((o) => [o, `${o} of ${Object.values(inputs)[0]}`])))(request, 0) as string,
    usage: { inputTokens: 100, outputTokens: 10, cachedInputTokens: 40 },
    costUsd: 0.001,
  }));

function collect(bus: EventBus): BusEvent[] {
  const events: BusEvent[] = [];
  bus.subscribe((e) => void events.push(e));
  return events;
}

function payloads<N extends RuntimeEventName>(events: BusEvent[], name: N): RuntimeEventPayload<N>[] {
  return events.filter((e) => e.name === name).map((e) => e.payload as RuntimeEventPayload<N>);
}

describe("run tracer", () => {
  it("turns a program run into run:started, span:finished per module, lmcall:recorded with the exact messages, and run:finished with totals", async () => {
    const bus = new EventBus({ validate: true });
    const events = collect(bus);
    const fake = lm();
    const tracer = createRunTracer(bus, { source: "api", programId: "prog-1", programName: "pipeline", versionId: "v1", apiKeyId: "key-1", input: { text: "doc" } });
    const output = await new Pipeline().run({ text: "doc" }, { lm: fake, tracer });
    const summary = await tracer.finish({ status: "ok", output });

    expect(events.map((e) => e.name)).toEqual(["run:started", "lmcall:recorded", "span:finished", "lmcall:recorded", "span:finished", "span:finished", "span:finished", "run:finished"]);
    const [started] = payloads(events, "run:started");
    expect(started).toMatchObject({ runId: tracer.runId, traceId: tracer.traceId, programId: "prog-1", versionId: "v1", apiKeyId: "key-1", source: "api", input: { text: "doc" } });
    expect(tracer.traceId).toMatch(/^[0-9a-f]{32}$/);

    const spans = payloads(events, "span:finished");
    const root = spans.find((s) => s.parentId === null)!;
    expect(root).toMatchObject({ kind: "program", status: "ok", outputs: { title: "title of summary of doc" } });
    expect(spans.filter((s) => s.parentId === root.spanId).map((s) => s.path).sort()).toEqual(["summarize", "title"]);
    const title = spans.find((s) => s.path === "title")!;
    expect(spans.find((s) => s.path === "title.predict")).toMatchObject({ parentId: title.spanId, kind: "predict" });

    const calls = payloads(events, "lmcall:recorded");
    expect(calls).toHaveLength(2);
    // The exact messages sent and the reply are on the event (for the database), as the LM saw them.
    expect(calls[0]!.request).toMatchObject({ messages: fake.requests[0]!.messages.map((m) => ({ role: m.role, content: m.content })) });
    expect((calls[0]!.response as { text: string }).text).toContain("summary of doc");
    expect(calls[0]).toMatchObject({ runId: tracer.runId, programId: "prog-1", apiKeyId: "key-1", provider: "fake", adapter: "chat", attempt: 1, cacheHit: false });
    expect(calls[0]!.spanId).toBe(spans.find((s) => s.path === "summarize")!.spanId);

    const [finished] = payloads(events, "run:finished");
    expect(finished).toMatchObject({ runId: tracer.runId, status: "ok", output: { title: "title of summary of doc" }, costUsd: 0.002 });
    expect(finished!.usage).toEqual({ inputTokens: 200, cachedInputTokens: 80, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 0 });
    expect(summary).toMatchObject({ lmCalls: 2, spans: 4, costUsd: 0.002 });
  });

  it("closes spans left open as errors when the run ends, and finishes only once", async () => {
    const bus = new EventBus({ validate: true });
    const events = collect(bus);
    const tracer = createRunTracer(bus, { source: "script" });
    tracer.startSpan({ name: "stuck", kind: "tool" });
    const a = tracer.finish({ status: "error", error: "timeout" });
    const b = tracer.finish({ status: "ok" });
    expect(await a).toBe(await b);
    expect(events.filter((e) => e.name === "run:finished")).toHaveLength(1);
    expect(events.find((e) => e.name === "span:finished")!.payload).toMatchObject({ name: "stuck", status: "error", error: "the run ended before this span did" });
  });

  it("makes odd values JSON-safe (bigint, cycles, NUL) so they survive the socket and jsonb", async () => {
    const bus = new EventBus({ validate: true });
    const events = collect(bus);
    const cyclic: Record<string, unknown> = { n: 10n, text: "a\u0000b", when: new Date(0) };
    cyclic.self = cyclic;
    const tracer = createRunTracer(bus, { source: "script", input: cyclic });
    await tracer.finish({ status: "ok" });
    expect(events[0]!.payload).toMatchObject({ input: { n: "10", text: "ab", when: "1970-01-01T00:00:00.000Z", self: "[Circular]" } });
  });

  it("collects back-pressure from the stream and pays it in finish()", async () => {
    const bus = new EventBus();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    bus.subscribe(() => (++calls === 2 ? gate : READY));
    const tracer = createRunTracer(bus, { source: "api" });
    const id = tracer.startSpan({ name: "x", kind: "predict" });
    tracer.endSpan(id, { status: "ok" }); // this one is told to wait
    let finished = false;
    const done = tracer.finish({ status: "ok" }).then(() => (finished = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(finished).toBe(false);
    release();
    await done;
    expect(finished).toBe(true);
  });
});
