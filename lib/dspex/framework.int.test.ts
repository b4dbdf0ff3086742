// The framework end to end over real HTTP: the offline demo model served as an OpenAI-compatible
// endpoint, the official SDK client, the cache and the cost meter, programs, evaluation, traces.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChainOfThought,
  composeLM,
  createDemoLM,
  createOpenAILM,
  createPriceTable,
  evaluate,
  Predict,
  TraceRecorder,
  withCache,
  withCostMeter,
  type LM,
} from "./index";
import { arithmeticTask } from "./demos";
import { serveLM, startOpenAIServer, type OpenAIServer } from "./testing";

describe("DSPEx over HTTP with the demo model", () => {
  let server: OpenAIServer;
  let client: LM;
  beforeAll(async () => {
    server = await serveLM(createDemoLM({ seed: 7 }), { record: false });
    client = createOpenAILM({ provider: "custom", baseURL: server.baseURL, apiKey: "local", model: "dspex-demo-1", maxRetries: 0 });
  });
  afterAll(() => server.close());

  it("evaluates a ChainOfThought program, prices every call exactly, and answers a repeat from the cache for free", async () => {
    const prices = createPriceTable();
    const cache = withCache({ maxEntries: 1000 });
    const lm = composeLM(client, cache, withCostMeter({ prices }));
    const program = arithmeticTask.makeProgram({ module: "chain-of-thought", instructions: "Solve it step by step; the answer is a whole number." });
    const data = arithmeticTask.dataset.validation.slice(0, 20);

    const first = await evaluate(program, data, arithmeticTask.metric, { lm, settings: { temperature: 0 } }, { concurrency: 8 });
    expect(first.errors).toBe(0);
    expect(first.mean).toBeGreaterThan(0.5);
    expect(first.lmCalls).toBe(20);
    // Cost = price x usage, per kind, for every call: recompute it from the recorded usage.
    await prices.ready();
    const expected = first.results.flatMap((r) => r.trace!.lmCalls).reduce((sum, c) => sum + prices.cost(c.usage, c.model, "demo").picoUsd, 0n);
    const recorded = first.results.flatMap((r) => r.trace!.lmCalls).reduce((sum, c) => sum + BigInt(Math.round(c.costUsd * 1e12)), 0n);
    expect(Number(recorded - expected)).toBeLessThan(20); // rounding of each call's float, in picodollars
    expect(first.totalCostUsd).toBeGreaterThan(0);

    const again = await evaluate(program, data, arithmeticTask.metric, { lm, settings: { temperature: 0 } }, { concurrency: 8 });
    expect(again.cacheHits).toBe(20);
    expect(again.totalCostUsd).toBe(0);
    expect(again.mean).toBe(first.mean);
    expect(cache.stats().hits).toBe(20);

    // A new rollout id asks for a fresh sample past the cache.
    await program.run(data[0]!.inputs, { lm, settings: { temperature: 0 }, rolloutId: "fresh" });
    expect(cache.stats().misses).toBe(21);
  });

  it("streams a prediction field by field through the SDK", async () => {
    const deltas: string[] = [];
    let outputs: Record<string, unknown> | undefined;
    const cot = new ChainOfThought(arithmeticTask.signature);
    for await (const e of cot.predict.stream(arithmeticTask.dataset.validation[0]!.inputs, client)) {
      if (e.type === "field") deltas.push(e.field);
      if (e.type === "done") outputs = e.result.outputs;
    }
    expect(new Set(deltas)).toEqual(new Set(["reasoning", "answer"]));
    expect(typeof outputs?.answer).toBe("number");
  });

  it("records each LM call of a traced run with its exact messages, tokens and latency", async () => {
    const tracer = new TraceRecorder();
    await new Predict("question -> answer").run({ question: "What does DSPEx ship for offline use?" }, { lm: client, tracer });
    const [call] = tracer.lmCalls;
    expect(call).toMatchObject({ provider: "custom", model: "dspex-demo-1", attempt: 1, adapter: "chat", cacheHit: false });
    expect(call!.messages.at(-1)!.content).toContain("What does DSPEx ship for offline use?");
    expect(call!.usage.inputTokens).toBeGreaterThan(20);
    expect(call!.usage.outputTokens).toBeGreaterThan(0);
  });
});

describe("provider faults, seen from a program", () => {
  it("retries a 429 after its Retry-After and records the retry on the LM call", async () => {
    let n = 0;
    const server = await startOpenAIServer({
      respond: () => (n++ === 0 ? { type: "rate-limit", retryAfterMs: 50 } : { text: "[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]" }),
    });
    try {
      const lm = createOpenAILM({ provider: "custom", baseURL: server.baseURL, apiKey: "k", model: "m", maxRetries: 2 });
      const tracer = new TraceRecorder();
      expect(await new Predict("question -> answer").run({ question: "q" }, { lm, tracer })).toEqual({ answer: "ok" });
      expect(tracer.lmCalls[0]!.retries).toBe(1);
      expect(server.requests[1]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(45);
    } finally {
      await server.close();
    }
  });

  it("falls back to JSON after replies it cannot parse, then reports the raw reply if all fail", async () => {
    const server = await startOpenAIServer({
      respond: (req) => (req.body.response_format ? { text: '{"answer": "from json"}' } : { text: "I refuse to use markers." }),
    });
    try {
      const lm = createOpenAILM({ provider: "custom", baseURL: server.baseURL, apiKey: "k", model: "m" });
      expect(await new Predict("question -> answer").run({ question: "q" }, lm)).toEqual({ answer: "from json" });
      server.respondWith(() => ({ text: "still no structure" }));
      await expect(new Predict("question -> answer").run({ question: "q" }, lm)).rejects.toMatchObject({
        code: "OUTPUT_PARSE",
        details: { raw: "still no structure" },
      });
    } finally {
      await server.close();
    }
  });
});
