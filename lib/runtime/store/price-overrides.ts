// Price overrides a person stored (ModelPrice rows with source "override"), as price-table entries.
import type { PrismaClient } from "../../db";
import type { PriceEntry } from "../../dspex";

export const PRICE_OVERRIDE = "override";

/** Overrides valid at `now`, oldest first (so a later one wins in a PriceTable). */
export async function loadPriceOverrides(prisma: PrismaClient, now: Date = new Date()): Promise<PriceEntry[]> {
  const rows = await prisma.modelPrice.findMany({ where: { source: PRICE_OVERRIDE, validFrom: { lte: now } }, orderBy: [{ validFrom: "asc" }, { createdAt: "asc" }] });
  return rows.map((r) => ({
    model: r.pattern,
    ...(r.provider !== "" && { provider: r.provider }),
    prices: {
      input: r.inputPerMTok.toString(),
      output: r.outputPerMTok.toString(),
      ...(r.cachedInputPerMTok !== null && { cachedInput: r.cachedInputPerMTok.toString() }),
      ...(r.cacheWritePerMTok !== null && { cacheWrite: r.cacheWritePerMTok.toString() }),
      ...(r.reasoningPerMTok !== null && { reasoning: r.reasoningPerMTok.toString() }),
    },
    source: `override ${r.id}`,
  }));
}
