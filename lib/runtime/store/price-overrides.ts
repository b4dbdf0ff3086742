// Price overrides a person stored (ModelPrice rows with source "override"): as price-table entries
// for what the server charges, and as rows for the settings page.
import type { Prisma, PrismaClient } from "../../db";
import type { PriceEntry } from "../../dspex";
import type { z } from "zod";
import type { CreatePriceBodySchema, PriceRow } from "../../schemas";
import { ConflictError, NotFoundError } from "./errors";
import { isUniqueViolation } from "./prisma-errors";

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

type PriceDbRow = Prisma.ModelPriceGetPayload<object>;

const dec = (v: Prisma.Decimal | null): string | null => (v === null ? null : v.toString());

function toPriceRow(row: PriceDbRow): PriceRow {
  return {
    id: row.id,
    origin: "override",
    pattern: row.pattern,
    provider: row.provider,
    input: row.inputPerMTok.toString(),
    output: row.outputPerMTok.toString(),
    cachedInput: dec(row.cachedInputPerMTok),
    cacheWrite: dec(row.cacheWritePerMTok),
    reasoning: dec(row.reasoningPerMTok),
    validFrom: row.validFrom.toISOString(),
    source: row.source,
    note: null,
  };
}

/** Every stored override, newest validity first. */
export async function listPriceOverrides(prisma: PrismaClient): Promise<PriceRow[]> {
  return (await prisma.modelPrice.findMany({ where: { source: PRICE_OVERRIDE }, orderBy: [{ validFrom: "desc" }, { createdAt: "desc" }] })).map(toPriceRow);
}

/** One stored price row by id, or null. */
export async function findPriceRow(prisma: PrismaClient, id: string): Promise<PriceRow | null> {
  const row = await prisma.modelPrice.findUnique({ where: { id } });
  return row ? toPriceRow(row) : null;
}

/** Stores an override; CONFLICT when one for the same pattern and provider starts at the same time. */
export async function createPriceOverride(prisma: PrismaClient, q: z.output<typeof CreatePriceBodySchema>): Promise<PriceRow> {
  try {
    const row = await prisma.modelPrice.create({
      data: {
        pattern: q.pattern,
        provider: q.provider,
        inputPerMTok: q.input,
        outputPerMTok: q.output,
        cachedInputPerMTok: q.cachedInput ?? null,
        cacheWritePerMTok: q.cacheWrite ?? null,
        reasoningPerMTok: q.reasoning ?? null,
        source: PRICE_OVERRIDE,
        ...(q.validFrom && { validFrom: q.validFrom }),
      },
    });
    return toPriceRow(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError("an override for this pattern and provider from the same time exists", "pattern");
    throw err;
  }
}

/** Deletes an override and answers it as it was; NOT_FOUND for other ids (seed and built-in prices are not rows). */
export async function deletePriceOverride(prisma: PrismaClient, id: string): Promise<PriceRow> {
  const row = await prisma.modelPrice.findFirst({ where: { id, source: PRICE_OVERRIDE } });
  if (!row) throw new NotFoundError("price override", id, "id");
  await prisma.modelPrice.deleteMany({ where: { id: row.id } });
  return toPriceRow(row);
}
