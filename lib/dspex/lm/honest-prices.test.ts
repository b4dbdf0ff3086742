import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn } from "../../testing";
import type { StandIn } from "../../testing";
import { createLM, evaluate, optimize } from "../index";
import { classifyTask } from "../demos";
import { createCostMeter, withCostMeter } from "./cost-meter";
import { createPriceTable } from "./prices";
import { reservationBound } from "./reservation";
import { composeLM } from "./types";

let openai: StandIn;
beforeAll(async () => {
  openai = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, apiKey: "sk-o" });
});
afterAll(() => openai.close());

const env = () => ({ OPENAI_API_KEY: "sk-o", OPENAI_BASE_URL: openai.baseURL });
const ask = { messages: [{ role: "user" as const, content: "hi" }] };

describe("honest prices", () => {
  it("an unpriced model is price unknown (null) in the cost meter, never $0", async () => {
    const meter = createCostMeter();
    const lm = composeLM(createLM({ env: env(), prices: false }), withCostMeter({ prices: createPriceTable({ seed: false, overrides: openai.priceEntries() }), meter }));
    const priced = await lm.complete({ ...ask, model: "gpt-4o-mini" });
    const unpriced = await lm.complete({ ...ask, model: "house-model" });
    expect(priced.costUsd).toBeGreaterThan(0);
    expect(unpriced.costUsd).toBeUndefined();
    expect(meter.byModel().get("house-model")?.usd).toBeNull();
    expect(meter.byModel().get("gpt-4o-mini")?.usd).toBe(priced.costUsd);
    expect(meter.totalUsd).toBeNull();
    expect(meter.pricedUsd).toBe(priced.costUsd);
    expect(meter.unpricedModels).toEqual(["house-model"]);
  });

  it("an evaluation on an unpriced model reports its cost as unknown (null) with the calls counted", async () => {
    const lm = createLM({ env: env(), model: "house-model" });
    const report = await evaluate(classifyTask.makeProgram(), classifyTask.dataset.validation.slice(0, 2), classifyTask.metric, lm);
    expect(report.totalCostUsd).toBeNull();
    expect(report.unpricedCalls).toBe(report.lmCalls);
    const priced = await evaluate(classifyTask.makeProgram(), classifyTask.dataset.validation.slice(0, 2), classifyTask.metric, createLM({ env: env(), model: "gpt-4o-mini" }));
    expect(priced.totalCostUsd).toBeGreaterThan(0);
    expect(priced.unpricedCalls).toBe(0);
  });

  it("gateway and provider-prefixed names resolve to the underlying model's price", async () => {
    const prices = await createPriceTable().ready();
    const plain = prices.lookup("gpt-4o-mini", "openai");
    expect(plain).toBeDefined();
    expect(prices.lookup("openai/gpt-4o-mini", "my-gateway")?.rates).toEqual(plain?.rates);
    expect(prices.lookup("gateway/openai/gpt-4o-mini")?.rates).toEqual(plain?.rates);
    const claude = prices.lookup("claude-3-5-haiku-20241022", "anthropic");
    expect(claude).toBeDefined();
    expect(prices.lookup("anthropic/claude-3-5-haiku-20241022", "litellm")?.rates).toEqual(claude?.rates);
    expect(prices.lookup("acme/house-model")).toBeUndefined();
  });

  it("a usd budget on an unpriced model refuses before the first call, naming the model and the fix; a zero price marks it free", async () => {
    openai.reset();
    const lm = createLM({ env: env(), model: "house-model" });
    const data = [...classifyTask.dataset.train.slice(0, 4), ...classifyTask.dataset.validation.slice(0, 4)];
    await expect(optimize(classifyTask.makeProgram(), data, { lm, metric: classifyTask.metric, optimizer: "labeled-few-shot", budget: { usd: 0.0001 } })).rejects.toMatchObject({
      code: "BUDGET_UNPRICED",
      message: expect.stringMatching(/no price is known for "house-model".*overrides: \[\{ model: "\^house-model\$".*mark it free with a zero price/),
    });
    expect(openai.requestCount).toBe(0);
    const free = createPriceTable({ overrides: [{ model: "^house-model$", prices: { input: "0", output: "0" } }] });
    const result = await optimize(classifyTask.makeProgram(), data, { lm, metric: classifyTask.metric, optimizer: "labeled-few-shot", budget: { usd: 0.0001 }, prices: free });
    expect(result.spend.lmCalls).toBeGreaterThan(0);
  });

  it("the reservation bound is the prompt's tokens plus the output cap at the model's price, tight against the real cost", async () => {
    const prices = createPriceTable({ seed: false, overrides: openai.priceEntries() });
    const request = { model: "gpt-4o-mini", maxTokens: 200, messages: [{ role: "system" as const, content: "You answer briefly. ".repeat(30) }, { role: "user" as const, content: "What is the capital of France?" }] };
    const bound = await reservationBound(request, { prices });
    expect(bound.outputTokens).toBe(200);
    // 0.15 per million in, 0.60 per million out.
    expect(bound.usd).toBeCloseTo((bound.inputTokens * 0.15 + 200 * 0.6) / 1e6, 12);
    const real = await composeLM(createLM({ env: env(), prices: false }), withCostMeter({ prices })).complete(request);
    expect(bound.usd).toBeGreaterThanOrEqual(real.costUsd as number);
    expect(bound.inputTokens).toBeGreaterThanOrEqual(real.usage.inputTokens * 0.9);
    expect(bound.inputTokens).toBeLessThanOrEqual(real.usage.inputTokens * 1.5);
    expect((await reservationBound({ ...request, model: "house-model" }, { prices })).usd).toBeNull();
  });
});
