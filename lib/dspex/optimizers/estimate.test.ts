// The cost estimate made before an optimization starts, against a priced stand-in provider: within
// 25% of what the run then costs, and "price unknown" (null, never $0) when a model has no price.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STAND_IN_MODELS, startStandIn, type StandIn } from "../../testing";
import { createLM } from "../create-lm";
import { classifyTask } from "../demos";
import { createPriceTable } from "../lm";
import { discoverSpace } from "../variables";
import { estimateCost } from "./estimate";
import { chooseOptimizer, optimize } from "./optimize";

describe("the launch estimate", () => {
  let stand: StandIn;
  beforeAll(async () => {
    stand = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai, record: false });
  });
  afterAll(() => stand.close());
  const pricesOf = () => createPriceTable({ seed: false, overrides: stand.priceEntries().map(({ provider: _provider, ...entry }) => entry) });
  const data = [...classifyTask.dataset.train, ...classifyTask.dataset.validation];

  it("comes within 25% of the real cost of the run on a priced model", async () => {
    const prices = pricesOf();
    const lm = createLM({ baseURL: stand.baseURL, apiKey: "sk-test", model: "gpt-4o-mini", prices });
    const result = await optimize(classifyTask.makeProgram(), data, { lm, prices, metric: classifyTask.metric, optimizer: "labeled-few-shot", seed: 1, budget: { lmCalls: 300 } });
    expect(result.estimate.usd).not.toBeNull();
    expect(result.spend.usd).toBeGreaterThan(0);
    expect(result.estimate.usd! / result.spend.usd).toBeGreaterThan(0.75);
    expect(result.estimate.usd! / result.spend.usd).toBeLessThan(1.25);
  });

  it("is price unknown (null, not $0) when a model trials may call has no price, naming it", async () => {
    const prices = pricesOf();
    const lm = createLM({ baseURL: stand.baseURL, apiKey: "sk-test", model: "gpt-4o-mini", prices });
    const program = classifyTask.makeProgram();
    const space = discoverSpace(program, { models: ["gpt-4o-mini", "house-model"] });
    const optimizer = chooseOptimizer("tpe", space, data.length, undefined).optimizer;
    const estimate = await estimateCost({ optimizer, program, space, trainset: classifyTask.dataset.train, valset: classifyTask.dataset.validation, lm, prices });
    expect(estimate.usd).toBeNull();
    expect(estimate.lmCalls).toBeGreaterThan(0);
    expect(estimate.notes.join("\n")).toMatch(/price unknown for house-model/);
    // The same search over priced models only is priced.
    const priced = discoverSpace(program, { models: ["gpt-4o-mini", "gpt-4.1-nano"] });
    expect((await estimateCost({ optimizer, program, space: priced, trainset: classifyTask.dataset.train, valset: classifyTask.dataset.validation, lm, prices })).usd).toBeGreaterThan(0);
  });

  it("prices a routing LM's calls at the provider that serves each model, not under the router's name", async () => {
    const program = classifyTask.makeProgram();
    const inner = createLM({ baseURL: stand.baseURL, apiKey: "sk-test", model: "gpt-4o-mini" });
    const router = { ...inner, provider: "router", defaultModel: "fast" };
    // One price for the model name under two providers: the provider decides which applies.
    const prices = createPriceTable({ seed: false, overrides: [{ provider: "cheap", model: "^fast$", prices: { input: "1", output: "1" } }, { provider: "dear", model: "^fast$", prices: { input: "100", output: "100" } }] });
    const space = discoverSpace(program);
    const optimizer = chooseOptimizer("labeled-few-shot", space, data.length, undefined).optimizer;
    const base = { optimizer, program, space, trainset: classifyTask.dataset.train, valset: classifyTask.dataset.validation, lm: router, prices };
    const cheap = await estimateCost({ ...base, servedBy: () => ({ provider: "cheap", model: "fast" }) });
    const dear = await estimateCost({ ...base, servedBy: () => ({ provider: "dear", model: "fast" }) });
    expect(cheap.usd).toBeGreaterThan(0);
    expect(dear.usd! / cheap.usd!).toBeCloseTo(100, 5);
    // Without a resolver, the router's name is no provider: the model's name alone finds a price.
    expect((await estimateCost(base)).usd).not.toBeNull();
  });
});
