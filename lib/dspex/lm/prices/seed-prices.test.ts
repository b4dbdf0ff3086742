import { beforeAll, describe, expect, test } from "vitest";
import { createPriceTable, loadSeedPrices, matchRuleToRegExp } from ".";
import type { PriceTable } from ".";

let table: PriceTable;
beforeAll(async () => {
  table = await createPriceTable().ready();
});

describe("seed prices from @pydantic/genai-prices", () => {
  test("well-known models are found with their published prices", () => {
    const mini = table.lookup("gpt-4o-mini", "openai");
    expect(mini?.entry.prices).toMatchObject({ input: "0.15", cachedInput: "0.075", output: "0.6" });
    expect(mini?.entry.source).toContain("openai/gpt-4o-mini");
    const sonnet = table.lookup("claude-sonnet-4-5", "anthropic");
    expect(sonnet?.entry.prices).toMatchObject({ input: "3", output: "15", cachedInput: "0.3", cacheWrite: "3.75" });
    const flash = table.lookup("gemini-2.5-flash", "gemini");
    expect(flash?.entry.provider).toBe("google");
    expect(Number(flash?.entry.prices.input)).toBeGreaterThan(0);
  });

  test("the provider is inferred from the model name when the request names none", () => {
    expect(table.lookup("gpt-4o-mini-2024-07-18")?.entry.provider).toBe("openai");
    expect(table.lookup("claude-sonnet-4-20250514")?.entry.provider).toBe("anthropic");
  });

  test("self-hosted providers get no seed price; an override wins over the seed", () => {
    expect(table.lookup("gpt-oss:20b", "ollama")).toBeUndefined();
    const cheaper = table.withOverrides([{ model: "^gpt-4o-mini$", provider: "openai", prices: { input: "0.1", output: "0.4" }, source: "negotiated" }]);
    const match = cheaper.lookup("gpt-4o-mini", "openai");
    expect(match?.origin).toBe("override");
    expect(match?.entry.source).toBe("negotiated");
  });

  test("conversion keeps genai-prices' match semantics", () => {
    const rule = matchRuleToRegExp({ or: [{ equals: "a.b" }, { and: [{ starts_with: "x-" }, { ends_with: "-pro" }] }, { contains: "mid" }, { regex: "^r\\d+$" }] });
    for (const yes of ["a.b", "A.B", "x-1-pro", "somemidthing", "r12"]) expect(rule.test(yes)).toBe(true);
    for (const no of ["a.bc", "axb", "x-1", "y-pro", "r12a"]) expect(rule.test(no)).toBe(false);
  });

  test("loads once and quickly", async () => {
    const started = performance.now();
    const again = await loadSeedPrices();
    expect(performance.now() - started).toBeLessThan(5);
    expect(again.providers.size).toBeGreaterThan(20);
    expect(again.order.reduce((n, p) => n + p.entries.length, 0)).toBeGreaterThan(1000);
  });
});
