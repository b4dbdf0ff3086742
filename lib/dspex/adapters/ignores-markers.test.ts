import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn } from "../../testing";
import type { StandIn } from "../../testing";
import { createLM } from "../create-lm";
import { Predict } from "../modules";
import { TraceRecorder } from "../trace";

let openai: StandIn;
let anthropic: StandIn;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([
    startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, apiKey: "sk-o" }),
    startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic, apiKey: "sk-a" }),
  ]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close()]));

const env = () => ({ OPENAI_API_KEY: "sk-o", OPENAI_BASE_URL: openai.baseURL, ANTHROPIC_API_KEY: "sk-a", ANTHROPIC_BASE_URL: anthropic.baseURL });

describe("a model that ignores the adapter's markers", () => {
  it.each([
    ["stubborn-model", () => openai],
    ["anthropic/stubborn-claude", () => anthropic],
  ])("%s: one prediction costs 2 LM calls (the prose reply, then structured output), and the trace shows the rejected attempt and why", async (model, server) => {
    const lm = createLM({ env: env(), model });
    const tracer = new TraceRecorder();
    server().reset();
    const out = await new Predict("question -> answer: number").run({ question: "What is 2 + 3?" }, { lm, tracer });
    expect(typeof out.answer).toBe("number");
    expect(server().requestCount).toBe(2);
    expect(tracer.lmCalls.map((c) => [c.adapter, c.attempt])).toEqual([
      ["chat", 1],
      ["json", 2],
    ]);
    expect(tracer.lmCalls[0]?.rejected).toMatch(/the reply has no \[\[ ## answer ## \]\]/);
    const attempt = tracer.spans.find((s) => s.kind === "attempt");
    expect(attempt?.error).toMatch(/^rejected: the reply has no \[\[ ## answer ## \]\]/);
    expect((attempt?.outputs as { raw: string }).raw).toMatch(/^Sure!/);
  });
});
