// The price table as the dashboard shows it: stored overrides (ModelPrice rows with source
// "override"), DSPEx's built-in prices and the maintained seed, in the order a lookup tries them.
// Overrides are stored, listed, and (when the server passes onChanged) applied to what it charges.
import type { Prisma, PrismaClient } from "../../db";
import { loadPriceOverrides, PRICE_OVERRIDE } from "../store/price-overrides";
import { BUILTIN_PRICES, createPriceTable, loadSeedPrices, type PriceEntry, type PriceMatch, type PriceTable } from "../../dspex";
import {
  CreatePriceBodySchema,
  PriceListQuerySchema,
  PriceLookupQuerySchema,
  PriceLookupSchema,
  PricePageSchema,
  PriceRowSchema,
  SettingsIdParamsSchema,
  type PriceRow,
} from "../../schemas";
import type { z } from "zod";
import { ConflictError, NotFoundError } from "../store";
import { isUniqueViolation } from "../store/prisma-errors";
import { defineRoute, type Route } from "./router";


type PriceDbRow = Prisma.ModelPriceGetPayload<object>;

const dec = (v: Prisma.Decimal | null): string | null => (v === null ? null : v.toString());

function fromDb(row: PriceDbRow): PriceRow {
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

function fromEntry(entry: PriceEntry, origin: PriceRow["origin"]): PriceRow {
  const p = entry.prices;
  return {
    id: null,
    origin,
    pattern: typeof entry.model === "string" ? entry.model : entry.model.source,
    provider: entry.provider ?? "",
    input: p.input,
    output: p.output,
    cachedInput: p.cachedInput ?? null,
    cacheWrite: p.cacheWrite ?? null,
    reasoning: p.reasoning ?? null,
    validFrom: null,
    source: entry.source ?? null,
    note: entry.note ?? null,
  };
}

function fromMatch(match: PriceMatch): PriceRow {
  return fromEntry(match.entry, match.origin);
}

/** The seed's rows, converted once per process (the package is large). */
let seedRows: Promise<{ rows: readonly PriceRow[]; version: string | null; error: string | null }> | undefined;
function loadSeedRows() {
  seedRows ??= loadSeedPrices().then(
    (seed) => ({ rows: seed.order.flatMap((p) => p.entries.map((e) => fromEntry(e, "seed"))), version: seed.version, error: null }),
    (err: unknown) => ({ rows: [], version: null, error: err instanceof Error ? err.message : String(err) }),
  );
  return seedRows;
}

/**
 * `onChanged` makes the running server charge by the stored overrides (it reloads them); without
 * it overrides are stored and listed only, and `overridesApplied` says so.
 */
export function priceRoutes(prisma: PrismaClient, runtimePrices: PriceTable | undefined, onChanged?: () => Promise<void>): Route[] {
  let fallback: PriceTable | undefined;
  const charged = async (): Promise<PriceTable> => {
    const table = runtimePrices ?? (fallback ??= createPriceTable());
    return table.loaded ? table : table.ready();
  };

  const list = defineRoute<z.output<typeof PriceListQuerySchema>, undefined>(
    {
      method: "GET",
      path: "/api/v1/prices",
      operationId: "listPrices",
      summary: "The price table",
      description:
        "Stored overrides, then DSPEx's built-in prices, then the maintained seed (@pydantic/genai-prices): the order a lookup tries them. USD per million tokens. Filter by origin and search (pattern or provider); paged.",
      tag: "settings",
      auth: "session",
      query: PriceListQuerySchema,
      success: { status: 200, name: "PricePage", schema: PricePageSchema, description: "One page of price entries." },
      errors: [],
    },
    async ({ query }) => {
      const needle = query.search?.toLowerCase();
      const overrides = query.origin === undefined || query.origin === "override" ? (await prisma.modelPrice.findMany({ where: { source: PRICE_OVERRIDE }, orderBy: [{ validFrom: "desc" }, { createdAt: "desc" }] })).map(fromDb) : [];
      const builtins = query.origin === undefined || query.origin === "builtin" ? BUILTIN_PRICES.map((e) => fromEntry(e, "builtin")) : [];
      const seed = await loadSeedRows();
      const all = [...overrides, ...builtins, ...(query.origin === undefined || query.origin === "seed" ? seed.rows : [])];
      const rows = needle ? all.filter((r) => r.pattern.toLowerCase().includes(needle) || r.provider.toLowerCase().includes(needle)) : all;
      const start = (query.page - 1) * query.limit;
      const body: z.output<typeof PricePageSchema> = {
        items: rows.slice(start, start + query.limit),
        total: rows.length,
        page: query.page,
        limit: query.limit,
        seed: { version: seed.version, error: seed.error },
        overridesApplied: onChanged !== undefined,
      };
      return { status: 200, body };
    },
  );

  const lookup = defineRoute<z.output<typeof PriceLookupQuerySchema>, undefined>(
    {
      method: "GET",
      path: "/api/v1/prices/lookup",
      operationId: "lookupPrice",
      summary: "Which price applies to a model",
      description: "The entry the running server charges for the model now, and the newest stored override that matches it.",
      tag: "settings",
      auth: "session",
      query: PriceLookupQuerySchema,
      success: { status: 200, name: "PriceLookup", schema: PriceLookupSchema, description: "The charged price and the matching override." },
      errors: [],
    },
    async ({ query }) => {
      const table = await charged();
      const match = table.lookup(query.model, query.provider || undefined);
      const overrides = await loadPriceOverrides(prisma, new Date());
      const overrideMatch = overrides.length > 0 ? createPriceTable({ overrides, seed: false }).lookup(query.model, query.provider || undefined) : undefined;
      let override: PriceRow | null = null;
      if (overrideMatch?.origin === "override") {
        const id = overrideMatch.entry.source?.slice("override ".length) ?? "";
        const row = await prisma.modelPrice.findUnique({ where: { id } });
        override = row ? fromDb(row) : null;
      }
      return { status: 200, body: { model: query.model, charged: match ? fromMatch(match) : null, override } };
    },
  );

  const create = defineRoute<undefined, z.output<typeof CreatePriceBodySchema>>(
    {
      method: "POST",
      path: "/api/v1/prices",
      operationId: "createPriceOverride",
      summary: "Add a price override",
      description: "A model-name pattern (regular expression) with prices in USD per million tokens, valid from a date (default now). Cached input and cache writes default to the input price, reasoning to the output price.",
      tag: "settings",
      auth: "admin",
      body: { name: "CreatePriceBody", schema: CreatePriceBodySchema, example: { pattern: "^gpt-4o-mini", provider: "openai", input: "0.15", output: "0.60", cachedInput: "0.075" }, limit: "single" },
      success: { status: 201, name: "PriceRow", schema: PriceRowSchema, description: "The stored override." },
      errors: ["CONFLICT"],
    },
    async ({ body: q }) => {
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
        await onChanged?.();
        return { status: 201, body: fromDb(row) };
      } catch (err) {
        if (isUniqueViolation(err)) throw new ConflictError("an override for this pattern and provider from the same time exists", "pattern");
        throw err;
      }
    },
  );

  const remove = defineRoute(
    {
      method: "POST",
      path: "/api/v1/prices/{id}/delete",
      operationId: "deletePriceOverride",
      summary: "Delete a price override",
      tag: "settings",
      auth: "admin",
      params: SettingsIdParamsSchema,
      success: { status: 200, name: "PriceRow", schema: PriceRowSchema, description: "The override as it was." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const row = await prisma.modelPrice.findFirst({ where: { id: params.id!, source: PRICE_OVERRIDE } });
      if (!row) throw new NotFoundError("price override", params.id!, "id");
      await prisma.modelPrice.deleteMany({ where: { id: row.id } });
      await onChanged?.();
      return { status: 200, body: fromDb(row) };
    },
  );

  return [list, lookup, create, remove];
}
