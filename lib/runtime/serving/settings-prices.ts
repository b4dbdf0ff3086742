// The price table as the dashboard shows it: stored overrides (ModelPrice rows with source
// "override"), DSPEx's built-in prices and the maintained seed, in the order a lookup tries them.
// Overrides are stored, listed, and (when the server passes onChanged) applied to what it charges.
import { BUILTIN_PRICES, createPriceTable, loadSeedPrices, type PriceEntry, type PriceMatch, type PriceTable } from "../../dspex";
import { type PricePageSchema, type PriceRow } from "../../schemas";
import type { z } from "zod";
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";

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
export function priceRoutes(
  store: Pick<Store, "listPriceOverrides" | "loadPriceOverrides" | "findPriceRow" | "createPriceOverride" | "deletePriceOverride">,
  runtimePrices: PriceTable | undefined, onChanged?: () => Promise<void>): Route[] {
  let fallback: PriceTable | undefined;
  const charged = async (): Promise<PriceTable> => {
    const table = runtimePrices ?? (fallback ??= createPriceTable());
    return table.loaded ? table : table.ready();
  };

  const list = implement(routes.listPrices, async ({ query }) => {
    const needle = query.search?.toLowerCase();
    const overrides = query.origin === undefined || query.origin === "override" ? await store.listPriceOverrides() : [];
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
  });

  const lookup = implement(routes.lookupPrice, async ({ query }) => {
    const table = await charged();
    const match = table.lookup(query.model, query.provider || undefined);
    const overrides = await store.loadPriceOverrides(new Date());
    const overrideMatch = overrides.length > 0 ? createPriceTable({ overrides, seed: false }).lookup(query.model, query.provider || undefined) : undefined;
    let override: PriceRow | null = null;
    if (overrideMatch?.origin === "override") {
      const id = overrideMatch.entry.source?.slice("override ".length) ?? "";
      override = await store.findPriceRow(id);
    }
    return { status: 200, body: { model: query.model, charged: match ? fromMatch(match) : null, override } };
  });

  const create = implement(routes.createPriceOverride, async ({ body: q }) => {
    const row = await store.createPriceOverride(q);
    await onChanged?.();
    return { status: 201, body: row };
  });

  const remove = implement(routes.deletePriceOverride, async ({ params }) => {
    const row = await store.deletePriceOverride(params.id);
    await onChanged?.();
    return { status: 200, body: row };
  });

  return [list, lookup, create, remove];
}
