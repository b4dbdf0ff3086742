import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { freshPgliteDatabase } from "../db/testing";
import { createLogger } from "../log";
import { createLMStack } from "./lm-stack";
import { useTestDatabase } from "./store/testing";

describe("the LM stack's price table", () => {
  const t = useTestDatabase(freshPgliteDatabase);

  it("charges by stored overrides once reloaded, and forgets deleted ones", async () => {
    const lm = createLMStack({ config: loadConfig({}), db: t.db, log: createLogger("silent", false), onEvent: () => {} });
    try {
      await lm.refreshPrices();
      expect(lm.prices.lookup("stack-test-model-1")?.origin).not.toBe("override");
      const row = await t.prisma.modelPrice.create({ data: { pattern: "^stack-test-model", inputPerMTok: "2", outputPerMTok: "8", source: "override" } });
      await t.prisma.modelPrice.create({ data: { pattern: "^later-model", inputPerMTok: "1", outputPerMTok: "1", source: "override", validFrom: new Date(Date.now() + 86_400_000) } });
      await lm.refreshPrices();
      const match = lm.prices.lookup("stack-test-model-1");
      expect(match).toMatchObject({ origin: "override", pattern: "^stack-test-model" });
      const usage = { inputTokens: 1_000_000, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1_000_000, reasoningTokens: 0 };
      expect(lm.prices.cost(usage, "stack-test-model-1").usd).toBeCloseTo(10, 9);
      // An override dated tomorrow does not apply today.
      expect(lm.prices.lookup("later-model")?.origin).not.toBe("override");

      await t.prisma.modelPrice.delete({ where: { id: row.id } });
      await lm.refreshPrices();
      expect(lm.prices.lookup("stack-test-model-1")?.origin).not.toBe("override");
    } finally {
      lm.stop();
    }
  });
});
