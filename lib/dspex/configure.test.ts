import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn } from "../testing";
import type { StandIn } from "../testing";
import { configure, createLM, evaluate, isDemoLM, optimize, Predict } from "./index";
import { classifyTask } from "./demos";

let openai: StandIn;
let anthropic: StandIn;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([
    startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, apiKey: "sk-o" }),
    startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic, apiKey: "sk-a" }),
  ]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close()]));
afterEach(() => {
  configure({ lm: null });
  openai.reset();
  anthropic.reset();
});

const envOf = () => ({ OPENAI_API_KEY: "sk-o", OPENAI_BASE_URL: openai.baseURL, ANTHROPIC_API_KEY: "sk-a", ANTHROPIC_BASE_URL: anthropic.baseURL });
const ask = { messages: [{ role: "user" as const, content: "hi" }] };

describe("createLM: no silent demo", () => {
  it("is the demo model only when nothing is configured or when asked for by name", () => {
    expect(isDemoLM(createLM({ env: {} }))).toBe(true);
    expect(isDemoLM(createLM({ env: envOf(), model: "dspex-demo-large" }))).toBe(true);
    expect(isDemoLM(createLM({ env: envOf() }))).toBe(false);
  });

  it("a real model with nothing configured is an error naming the model and how to configure one", () => {
    expect(() => createLM({ env: {}, model: "gpt-4o-mini" })).toThrow(/model "gpt-4o-mini" is served by no provider: none is configured; set OPENAI_API_KEY/);
  });

  it("reads OPENAI_* and ANTHROPIC_*; each model goes to its provider; an unserved model names the providers", async () => {
    const lm = createLM({ env: envOf(), model: "claude-3-5-haiku-20241022" });
    expect((await lm.complete(ask)).provider).toBe("anthropic");
    expect((await lm.complete({ ...ask, model: "gpt-4o-mini" })).provider).toBe("openai");
    expect(anthropic.requests.map((r) => r.model)).toEqual(["claude-3-5-haiku-20241022"]);
    expect(openai.requests.map((r) => r.model)).toEqual(["gpt-4o-mini"]);
    const onlyAnthropic = { ANTHROPIC_API_KEY: "sk-a", ANTHROPIC_BASE_URL: anthropic.baseURL };
    expect(() => createLM({ env: onlyAnthropic, model: "gpt-4o-mini" })).toThrow(/model "gpt-4o-mini" is served by no provider \(configured: anthropic \(anthropic models\)\)/);
    await expect(createLM({ env: onlyAnthropic }).complete({ ...ask, model: "gpt-4o-mini" })).rejects.toThrow(/"gpt-4o-mini" is served by no provider/);
  });

  it("DSPEX_LM_BASE_URL is a provider of any model, with DSPEX_LM_MODEL as the default", async () => {
    const lm = createLM({ env: { DSPEX_LM_BASE_URL: openai.baseURL, DSPEX_LM_API_KEY: "sk-o", DSPEX_LM_MODEL: "house-model" } });
    const response = await lm.complete(ask);
    expect(response).toMatchObject({ provider: "custom", model: "house-model" });
    expect(response.costUsd).toBeUndefined();
  });
});

describe("configure({ lm }): the process default", () => {
  const program = () => classifyTask.makeProgram();
  const data = [...classifyTask.dataset.train.slice(0, 4), ...classifyTask.dataset.validation.slice(0, 4)];

  it("without an lm and without configuration, optimize(), evaluate() and run() refuse before any call", async () => {
    await expect(optimize(program(), data, { metric: classifyTask.metric, optimizer: "labeled-few-shot" })).rejects.toThrow(/optimize: no LM; pass one .* or call configure\(\{ lm \}\) first/);
    await expect(evaluate(program(), data, classifyTask.metric)).rejects.toThrow(/evaluate: no LM/);
    await expect(new Predict("question -> answer").run({ question: "x" })).rejects.toThrow(/Predict\.run: no LM/);
    expect(openai.requestCount + anthropic.requestCount).toBe(0);
  });

  it("with configure({ lm }), optimize(), evaluate() and run() use that model, and say whether it is the demo", async () => {
    configure({ lm: createLM({ env: envOf(), model: "gpt-4o-mini" }) });
    let startDemo: boolean | undefined;
    const result = await optimize(program(), data, {
      metric: classifyTask.metric,
      optimizer: "labeled-few-shot",
      onEvent: (e) => {
        if (e.type === "start") startDemo = e.demo ?? false;
      },
    });
    expect(startDemo).toBe(false);
    expect(result.demo).toBeUndefined();
    expect(openai.requestCount).toBeGreaterThan(0);
    expect(new Set(openai.requests.map((r) => r.model))).toEqual(new Set(["gpt-4o-mini"]));
    const report = await evaluate(program(), data.slice(0, 2), classifyTask.metric);
    expect(report.demo).toBeUndefined();
    configure({ lm: createLM({ env: {} }) });
    expect((await evaluate(program(), data.slice(0, 2), classifyTask.metric)).demo).toBe(true);
  });
});
