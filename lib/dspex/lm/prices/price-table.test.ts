import { describe, expect, test } from "vitest";
import { computeCost, createPriceTable, DEMO_MODEL_PRICE } from ".";
import type { PriceEntry } from ".";
import type { Usage } from "../types";

const usage = (u: Partial<Usage>): Usage => ({ inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...u });

const sonnetLike: PriceEntry = {
  model: "^test-model$",
  prices: { input: "3", cachedInput: "0.3", cacheWrite: "3.75", output: "15" },
  source: "test",
};

describe("cost arithmetic", () => {
  test("prices each usage kind as a partition, in exact picodollars", () => {
    const table = createPriceTable({ seed: false, overrides: [sonnetLike] });
    // input 10,000 = 2,000 uncached + 6,000 cached + 2,000 cache write; output 1,500 = 1,000 + 500 reasoning
    const cost = table.cost(usage({ inputTokens: 10_000, cachedInputTokens: 6_000, cacheWriteTokens: 2_000, outputTokens: 1_500, reasoningTokens: 500 }), "test-model");
    expect(cost.breakdown).toEqual({
      input: 6_000_000_000n, // 2,000 x $3/M = $0.006
      cachedInput: 1_800_000_000n, // 6,000 x $0.30/M = $0.0018
      cacheWrite: 7_500_000_000n, // 2,000 x $3.75/M = $0.0075
      output: 15_000_000_000n, // 1,000 x $15/M = $0.015
      reasoning: 7_500_000_000n, // 500 x $15/M (no reasoning price: the output price) = $0.0075
    });
    expect(cost.picoUsd).toBe(37_800_000_000n);
    expect(cost.usd).toBe(0.0378);
    expect(cost.priced).toBe(true);
    expect(cost.modelPattern).toBe("^test-model$");
  });

  test("kinds without their own price use the input or output price", () => {
    const table = createPriceTable({ seed: false, overrides: [{ model: "^plain$", prices: { input: "1", output: "2" } }] });
    const cost = table.cost(usage({ inputTokens: 1_000_000, cachedInputTokens: 500_000, cacheWriteTokens: 100_000, outputTokens: 1_000_000, reasoningTokens: 250_000 }), "plain");
    expect(cost.picoUsd).toBe(1_000_000_000_000n + 2_000_000_000_000n);
    expect(cost.breakdown.cachedInput).toBe(500_000_000_000n);
    expect(cost.breakdown.reasoning).toBe(500_000_000_000n);
  });

  test("the demo model has its simulated price", () => {
    const table = createPriceTable({ seed: false });
    const match = table.lookup("dspex-demo-1", "demo");
    expect(match?.entry).toBe(DEMO_MODEL_PRICE);
    expect(match?.entry.source).toBe("simulated");
    expect(match?.origin).toBe("builtin");
    // 1M input with 400k cached, 200k output: 600k x 0.15 + 400k x 0.075 + 200k x 0.60 = $0.24
    const cost = table.cost(usage({ inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 200_000 }), "dspex-demo-1", "demo");
    expect(cost.picoUsd).toBe(240_000_000_000n);
  });

  test("a model without a price is unpriced: zero money, priced false", () => {
    const table = createPriceTable({ seed: false });
    const cost = table.cost(usage({ inputTokens: 100, outputTokens: 100 }), "mystery-model", "custom");
    expect(cost).toMatchObject({ priced: false, usd: 0, picoUsd: 0n });
    expect(computeCost(usage({ inputTokens: 5 }), undefined).priced).toBe(false);
  });

  test("sub-picodollar shares round half up per kind", () => {
    const table = createPriceTable({ seed: false, overrides: [{ model: "^tiny$", prices: { input: "0.0000001", output: "0" } }] });
    expect(table.cost(usage({ inputTokens: 4 }), "tiny").picoUsd).toBe(0n);
    expect(table.cost(usage({ inputTokens: 5 }), "tiny").picoUsd).toBe(1n);
  });
});

describe("price table lookups", () => {
  test("a later override wins over an earlier one; provider-scoped entries only match their provider", () => {
    const table = createPriceTable({
      seed: false,
      overrides: [
        { model: "^m", prices: { input: "1", output: "1" }, source: "first" },
        { model: "^m", prices: { input: "2", output: "2" }, source: "second" },
        { model: "^m", provider: "groq", prices: { input: "3", output: "3" }, source: "groq only" },
      ],
    });
    expect(table.lookup("m1", "groq")?.entry.source).toBe("groq only");
    expect(table.lookup("m1", "openai")?.entry.source).toBe("second");
    const more = table.withOverrides([{ model: "^m1$", prices: { input: "9", output: "9" }, source: "newest" }]);
    expect(more.lookup("m1", "groq")?.entry.source).toBe("newest");
    expect(table.lookup("m1", "groq")?.entry.source).toBe("groq only");
  });

  test("lookups are memoized per provider and model", () => {
    const table = createPriceTable({ seed: false, overrides: [sonnetLike] });
    const first = table.lookup("test-model");
    expect(table.lookup("test-model")).toBe(first);
    expect(table.lookup("test-model", "x")).toBe(first);
  });

  test("bad entries are refused at creation, naming the field", () => {
    expect(() => createPriceTable({ seed: false, overrides: [{ model: "^x", prices: { input: "cheap", output: "1" } }] })).toThrow(/price entry "\^x" prices\.input is "cheap"/);
    expect(() => createPriceTable({ seed: false, overrides: [{ model: "(", prices: { input: "1", output: "1" } }] })).toThrow(/not a valid regular expression/);
  });

  test("a table that wants the seed refuses lookups until ready()", async () => {
    const table = createPriceTable();
    expect(table.loaded).toBe(false);
    expect(() => table.lookup("gpt-4o-mini")).toThrow(/await table\.ready\(\) first/);
    await table.ready();
    expect(table.loaded).toBe(true);
    expect(table.lookup("gpt-4o-mini", "openai")?.origin).toBe("seed");
  });
});

describe("demo model prices", () => {
  test("each demo model has its own simulated price, found by model name even behind a custom endpoint", () => {
    const table = createPriceTable({ seed: false });
    const million = usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 });
    expect(table.cost(million, "dspex-demo-1", "demo").usd).toBeCloseTo(0.75, 12);
    expect(table.cost(million, "dspex-demo-mini", "demo").usd).toBeCloseTo(0.25, 12);
    expect(table.cost(million, "dspex-demo-large", "demo").usd).toBeCloseTo(6.25, 12);
    expect(table.cost(million, "dspex-demo-1", "custom").usd).toBeCloseTo(0.75, 12);
    expect(table.cost(million, "dspex-demo-1", "openai").priced).toBe(false);
    expect(table.lookup("dspex-demo-large", "demo")?.entry?.source).toBe("simulated");
  });
});
