import { describe, expect, it } from "vitest";
import { composeLM, EMPTY_USAGE, LMError, type LM } from "../../dspex";
import { withRunPerCall } from "./lm-call-runs";
import type { EventSink } from "./run-tracer";

function capture(): { sink: EventSink; events: { name: string; payload: Record<string, unknown> }[] } {
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  const sink = { emit: async (name: string, payload: unknown) => void events.push({ name, payload: payload as Record<string, unknown> }) } as unknown as EventSink;
  return { sink, events };
}

const lm: LM = {
  provider: "stand",
  async complete(request) {
    if (request.model === "broken") throw new LMError("LM_ERROR", "stand answered 500", { provider: "stand", status: 500 });
    return { text: "hello", finishReason: "stop", usage: { ...EMPTY_USAGE, inputTokens: 12, outputTokens: 3 }, provider: "stand", model: request.model ?? "m", cacheHit: false, latencyMs: 40, costUsd: 0.0002 };
  },
};

describe("withRunPerCall", () => {
  it("traces each LM call as a run of its optimization, the call inside it, failures included", async () => {
    const { sink, events } = capture();
    const traced = composeLM(lm, withRunPerCall(sink, { source: "optimization", programId: "p-1", optimizationId: "o-1" }));
    await traced.complete({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    await expect(traced.complete({ model: "broken", messages: [{ role: "user", content: "hi" }] })).rejects.toThrow("stand answered 500");
    expect(events.map((e) => e.name)).toEqual(["run:started", "lmcall:recorded", "run:finished", "run:started", "lmcall:recorded", "run:finished"]);
    const [started, call, finished] = events.map((e) => e.payload);
    expect(started).toMatchObject({ source: "optimization", programId: "p-1", optimizationId: "o-1" });
    expect(call).toMatchObject({ runId: started!.runId, optimizationId: "o-1", provider: "stand", model: "gpt-4o-mini", costUsd: 0.0002 });
    expect(finished).toMatchObject({ runId: started!.runId, status: "ok", costUsd: 0.0002, latencyMs: 40 });
    expect(events[4]!.payload).toMatchObject({ error: "stand answered 500" });
    expect(events[5]!.payload).toMatchObject({ status: "error" });
  });
});
