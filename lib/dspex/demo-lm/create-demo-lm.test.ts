import { getEncoding } from "js-tiktoken";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ChatAdapter, JSONAdapter } from "../adapters";
import { DspexError, LMError } from "../errors";
import { ChainOfThought } from "../modules";
import type { LMRequest, LMStreamEvent } from "../lm/types";
import { defineSignature, t } from "../signatures";
import { createDemoLM, type DemoClock, type DemoSleep } from "./index";

const chat = new ChatAdapter();
const json = new JSONAdapter();

const problemSig = defineSignature({
  instructions: "Solve the word problem.",
  inputs: { problem: z.string() },
  outputs: { answer: t.number() },
});
const PROBLEM = "Maya has 12 apples. She buys 5 more apples. She gives away 3 apples. How many apples does Maya have now?";

function problemRequest(extra: Partial<LMRequest> = {}, problem = PROBLEM): LMRequest {
  return { ...chat.format(problemSig, { instructions: problemSig.instructions, demos: [] }, { problem }), ...extra };
}

const PROBLEMS = Array.from({ length: 12 }, (_, i) => `Leo has ${10 + i} cards. He buys ${i + 2} more cards. He gives away ${i + 1} cards. He doubles his cards. How many cards does Leo have now?`);

/** A clock that only moves when the injected sleep is called. */
function fakeTime(): { clock: DemoClock; sleep: DemoSleep; sleeps: number[] } {
  let now = 1_000;
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe("createDemoLM: replies the adapters can read", () => {
  it("answers a chat-adapter request in marker form that the chat adapter parses and validates", async () => {
    const lm = createDemoLM();
    const res = await lm.complete(problemRequest());
    expect(res.text).toMatch(/^\[\[ ## answer ## \]\]\n-?\d+\n\n\[\[ ## completed ## \]\]$/);
    const outputs = problemSig.validateOutputs(chat.parse(problemSig, res.text));
    expect(typeof outputs.answer).toBe("number");
    expect(res.provider).toBe("demo");
    expect(res.model).toBe("dspex-demo-1");
    expect(res.finishReason).toBe("stop");
    expect(res.cacheHit).toBe(false);
  });

  it("answers a JSON-adapter request with one JSON object holding exactly the output keys", async () => {
    const sig = defineSignature({ inputs: { problem: z.string() }, outputs: { reasoning: z.string(), answer: t.number() } });
    const call = json.format(sig, { instructions: "Solve it.", demos: [] }, { problem: PROBLEM });
    expect(call.responseFormat?.type).toBe("json_schema");
    const res = await createDemoLM().complete({ ...call });
    const obj = JSON.parse(res.text) as Record<string, unknown>;
    expect(Object.keys(obj)).toEqual(["reasoning", "answer"]);
    const outputs = sig.validateOutputs(json.parse(sig, res.text));
    expect(typeof outputs.answer).toBe("number");
    expect(outputs.reasoning).toMatch(/^Start with 12\.\nStep 1: 12 [-+] 5 = /);
    expect(outputs.reasoning).toContain(`So the answer is ${outputs.answer}.`);
  });

  it("answers a retry turn correctly formatted, with the same answer as the first attempt", async () => {
    const lm = createDemoLM({ seed: 3 });
    const first = problemRequest();
    const original = await lm.complete(first);
    const retry: LMRequest = {
      ...first,
      messages: [
        ...first.messages,
        { role: "assistant", content: "The answer is fourteen." },
        { role: "user", content: `Your previous reply could not be used: the reply has no [[ ## answer ## ]] marker.\n\nReply again with every output field after its marker, in this order, then the completion marker:\n\n[[ ## answer ## ]]\n{answer}\n\n[[ ## completed ## ]]` },
      ],
    };
    const again = await lm.complete(retry);
    expect(chat.parse(problemSig, again.text)).toEqual(chat.parse(problemSig, original.text));
  });

  it("ignores offered tools and replies with text", async () => {
    const res = await createDemoLM().complete(problemRequest({ tools: [{ name: "calc", description: "adds", parameters: { type: "object" } }] }));
    expect(res.toolCalls).toBeUndefined();
    expect(chat.parse(problemSig, res.text).answer).toBeTypeOf("number");
  });

  it("gives a plain chat (no adapter format) a clearly labelled plain reply", async () => {
    const res = await createDemoLM().complete({ messages: [{ role: "user", content: "Hello there" }] });
    expect(res.text).toContain("DSPEx demo model");
    expect(res.text).toContain("Hello there");
  });
});

describe("createDemoLM: determinism", () => {
  it("gives the same reply for the same seed, request and rollout id, from separate instances", async () => {
    for (const temperature of [0, 1]) {
      const req = problemRequest({ temperature, rolloutId: "r-7" });
      const a = await createDemoLM({ seed: 11 }).complete(req);
      const b = await createDemoLM({ seed: 11 }).complete(req);
      expect(b.text).toBe(a.text);
    }
  });

  it("gives different replies for different seeds on some problems", async () => {
    const texts = async (seed: number) =>
      Promise.all(PROBLEMS.map((p) => createDemoLM({ seed }).complete(problemRequest({ temperature: 0.7 }, p)).then((r) => r.text)));
    const [a, b] = await Promise.all([texts(1), texts(2)]);
    expect(a).not.toEqual(b);
  });

  it("samples afresh for another rollout id at temperature > 0", async () => {
    const lm = createDemoLM({ seed: 5 });
    const answers = new Set<string>();
    for (let i = 0; i < 30; i++) answers.add((await lm.complete(problemRequest({ temperature: 1.2, rolloutId: `r${i}` }, PROBLEMS[3]))).text);
    expect(answers.size).toBeGreaterThan(1);
    const repeat = await lm.complete(problemRequest({ temperature: 1.2, rolloutId: "r4" }, PROBLEMS[3]));
    expect(answers.has(repeat.text)).toBe(true);
  });

  it("samples each of n choices at temperature > 0 and repeats one choice n times at temperature 0", async () => {
    const lm = createDemoLM({ seed: 9 });
    let differed = 0;
    for (const p of PROBLEMS) {
      const hot = await lm.complete(problemRequest({ temperature: 1.5, n: 4 }, p));
      expect(hot.choices).toHaveLength(4);
      expect(hot.choices?.[0]).toBe(hot.text);
      if (new Set(hot.choices).size > 1) differed++;
      const cold = await lm.complete(problemRequest({ temperature: 0, n: 3 }, p));
      expect(new Set(cold.choices).size).toBe(1);
    }
    expect(differed).toBeGreaterThan(0);
  });
});

describe("createDemoLM: usage", () => {
  it("counts input and output tokens with js-tiktoken o200k_base; cached and reasoning tokens are 0", async () => {
    const enc = getEncoding("o200k_base");
    const req = problemRequest({ n: 2, temperature: 1 });
    const res = await createDemoLM().complete(req);
    const input = req.messages.reduce((sum, m) => sum + enc.encode(m.content).length, 0);
    const output = (res.choices ?? [res.text]).reduce((sum, c) => sum + enc.encode(c).length, 0);
    expect(res.usage).toEqual({ inputTokens: input, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: output, reasoningTokens: 0 });
    expect(input).toBeGreaterThan(50);
  });

  it("cuts the reply at maxTokens with finish reason length, and at a stop sequence", async () => {
    const enc = getEncoding("o200k_base");
    const lm = createDemoLM();
    const cut = await lm.complete(problemRequest({ maxTokens: 4 }));
    expect(cut.finishReason).toBe("length");
    expect(enc.encode(cut.text).length).toBeLessThanOrEqual(4);
    expect(cut.usage.outputTokens).toBe(enc.encode(cut.text).length);
    const stopped = await lm.complete(problemRequest({ stop: ["[[ ## completed"] }));
    expect(stopped.text).not.toContain("completed");
    expect(stopped.text).toContain("[[ ## answer ## ]]");
  });
});

describe("createDemoLM: latency", () => {
  it("answers at once with latency 0: no sleep at all", async () => {
    const time = fakeTime();
    const res = await createDemoLM({ ...time }).complete(problemRequest());
    expect(time.sleeps).toEqual([]);
    expect(res.latencyMs).toBe(0);
  });

  it("waits the configured latency times the model's factor, measured on the injected clock", async () => {
    for (const [model, expected] of [["dspex-demo-mini", 250], ["dspex-demo-1", 500], ["dspex-demo-large", 1000]] as const) {
      const time = fakeTime();
      const res = await createDemoLM({ latencyMs: 500, ...time }).complete(problemRequest({ model }));
      expect(time.sleeps).toEqual([expected]);
      expect(res.latencyMs).toBe(expected);
      expect(res.model).toBe(model);
    }
  });

  it("draws a latency inside a range, the same for the same request", async () => {
    const waits: number[] = [];
    for (let i = 0; i < 2; i++) {
      const time = fakeTime();
      await createDemoLM({ latencyMs: { min: 200, max: 600 }, ...time }).complete(problemRequest());
      waits.push(...time.sleeps);
    }
    expect(waits[0]).toBeGreaterThanOrEqual(200);
    expect(waits[0]).toBeLessThanOrEqual(600);
    expect(waits[1]).toBe(waits[0]);
  });

  it("fails with LM_TIMEOUT after timeoutMs when the latency is longer", async () => {
    const time = fakeTime();
    const lm = createDemoLM({ latencyMs: 800, ...time });
    const err = await lm.complete(problemRequest(), { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LMError);
    expect((err as LMError).code).toBe("LM_TIMEOUT");
    expect(time.sleeps).toEqual([300]);
  });

  it("fails with ABORTED when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await createDemoLM().complete(problemRequest(), { signal: controller.signal }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DspexError);
    expect((err as DspexError).code).toBe("ABORTED");
  });
});

describe("createDemoLM: streaming", () => {
  it("streams the reply in small chunks that join to the complete() text, then one done event", async () => {
    const time = fakeTime();
    const lm = createDemoLM({ latencyMs: 1000, ...time });
    const req = problemRequest({ model: "dspex-demo-1" });
    const events: LMStreamEvent[] = [];
    for await (const e of lm.stream!(req)) events.push(e);
    const deltas = events.filter((e) => e.type === "text").map((e) => (e as { delta: string }).delta);
    const done = events[events.length - 1];
    const full = await createDemoLM().complete(req);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.every((d) => d.trim().split(/\s+/).length <= 2)).toBe(true);
    expect(deltas.join("")).toBe(full.text);
    expect(done?.type).toBe("done");
    expect(done?.type === "done" && done.response.text).toBe(full.text);
    expect(events.filter((e) => e.type === "done")).toHaveLength(1);
    expect(time.sleeps[0]).toBe(300);
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 6);
  });
});

describe("createDemoLM: streaming through a module", () => {
  it("streams ChainOfThought fields through the chat adapter's stream parser, ending with the same outputs as run()", async () => {
    const lm = createDemoLM({ seed: 6 });
    const program = new ChainOfThought(problemSig);
    const fields: string[] = [];
    let text = "";
    let final: unknown;
    for await (const event of program.predict.stream({ problem: PROBLEM }, { lm })) {
      if (event.type === "field") {
        fields.push(event.field);
        if (event.field === "reasoning") text += event.text;
      }
      if (event.type === "retry") throw new Error("the streamed reply should parse the first time");
      if (event.type === "done") final = event.result.outputs;
    }
    expect(new Set(fields)).toEqual(new Set(["reasoning", "answer"]));
    expect(text.trim()).toMatch(/^Start with 12\./);
    expect(final).toEqual(await program.run({ problem: PROBLEM }, { lm }));
  });
});

describe("createDemoLM: errors", () => {
  it("refuses a model that is not a demo model, naming the ones it serves", async () => {
    const err = await createDemoLM().complete(problemRequest({ model: "gpt-4o" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LMError);
    expect((err as LMError).message).toMatch(/gpt-4o.*dspex-demo-mini, dspex-demo-1, dspex-demo-large/);
  });

  it("rejects invalid options with OPTION_INVALID naming the option", () => {
    expect(() => createDemoLM({ latencyMs: { min: 500, max: 100 } })).toThrow(/latencyMs/);
    expect(() => createDemoLM({ latencyMs: -1 })).toThrow(DspexError);
    expect(() => createDemoLM({ defaultModel: "gpt-4o" })).toThrow(/defaultModel/);
    expect(() => createDemoLM({ seed: 1.5 })).toThrow(/seed/);
  });
});
