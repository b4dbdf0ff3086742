// The price table: overrides (latest first), then DSPEx's built-in entries, then the genai-prices
// seed (the provider's own models, then its fallback providers). Lookups are memoized per
// provider and model; the seed loads on `ready()`, once.

import { DspexError } from "../../errors";
import type { Usage } from "../types";
import { BUILTIN_PRICES } from "./builtin-prices";
import { computeCost } from "./cost";
import type { CostResult } from "./cost";
import { parseDecimal } from "./money";
import { loadSeedPrices } from "./seed-prices";
import type { SeedPrices, SeedProvider } from "./seed-prices";
import type { PriceEntry, PriceMatch, Rates } from "./types";

export interface PriceTableOptions {
  /** Entries that win over the built-in and seed prices; a later entry wins over an earlier one. */
  readonly overrides?: readonly PriceEntry[];
  /** Seed from @pydantic/genai-prices: true (default; loaded by ready()), false, or seed data already loaded. */
  readonly seed?: boolean | SeedPrices;
  /** Which dated seed prices apply; default: when the seed loads. */
  readonly asOf?: Date;
}

export interface PriceTable {
  /** Loads the seed if it is wanted and not loaded yet; lookups need it first. */
  ready(): Promise<PriceTable>;
  /** True once lookups can run (the seed is loaded, failed to load, or was not wanted). */
  readonly loaded: boolean;
  /** Set when the seed could not be loaded (lookups then use overrides and built-ins only). */
  readonly seedError?: unknown;
  lookup(model: string, provider?: string): PriceMatch | undefined;
  cost(usage: Usage, model: string, provider?: string): CostResult;
  /** A new table with more overrides (they win over this table's). */
  withOverrides(entries: readonly PriceEntry[]): PriceTable;
}

/** LM provider names that differ from the seed's provider ids. */
const SEED_PROVIDER_ALIASES: Readonly<Record<string, string>> = { gemini: "google" };
/** Self-hosted servers: no seed price applies (add an override to price them). */
const LOCAL_PROVIDERS = new Set(["ollama", "vllm", "lmstudio"]);
const DATED = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;
const MEMO_LIMIT = 10_000;

interface Compiled {
  readonly entry: PriceEntry;
  readonly regex: RegExp;
  readonly origin: PriceMatch["origin"];
  match?: PriceMatch;
}

function compile(entry: PriceEntry, origin: PriceMatch["origin"], eager: boolean): Compiled {
  let regex: RegExp;
  try {
    regex = typeof entry.model === "string" ? new RegExp(entry.model) : entry.model;
  } catch (error) {
    throw new DspexError("OPTION_INVALID", `price entry model "${String(entry.model)}" is not a valid regular expression: ${(error as Error).message}`);
  }
  const compiled: Compiled = { entry, regex, origin };
  if (eager) matchOf(compiled);
  return compiled;
}

function matchOf(c: Compiled): PriceMatch {
  if (c.match !== undefined) return c.match;
  const pattern = typeof c.entry.model === "string" ? c.entry.model : c.entry.model.source;
  const p = c.entry.prices;
  const rate = (value: string | undefined, field: string) => parseDecimal(value ?? "", 12, `price entry "${pattern}" prices.${field}`);
  const input = rate(p.input, "input");
  const output = rate(p.output, "output");
  const rates: Rates = {
    input,
    cachedInput: p.cachedInput !== undefined ? rate(p.cachedInput, "cachedInput") : input,
    cacheWrite: p.cacheWrite !== undefined ? rate(p.cacheWrite, "cacheWrite") : input,
    output,
    reasoning: p.reasoning !== undefined ? rate(p.reasoning, "reasoning") : output,
  };
  c.match = { entry: c.entry, pattern, rates, origin: c.origin };
  return c.match;
}

function hits(c: Compiled, model: string, provider: string | undefined): boolean {
  const want = c.entry.provider;
  if (want !== undefined && provider !== undefined && want !== provider) return false;
  c.regex.lastIndex = 0;
  return c.regex.test(model);
}

export function createPriceTable(options: PriceTableOptions = {}): PriceTable {
  const overrides = (options.overrides ?? []).map((e) => compile(e, "override", true)).reverse();
  return buildTable(overrides, options);
}

function buildTable(overrides: readonly Compiled[], options: PriceTableOptions): PriceTable {
  const builtins = BUILTIN_PRICES.map((e) => compile(e, "builtin", true));
  const seedCompiled = new Map<SeedProvider, Compiled[]>();
  const memo = new Map<string, PriceMatch | null>();
  let seed: SeedPrices | undefined = typeof options.seed === "object" ? options.seed : undefined;
  let loading: Promise<PriceTable> | undefined;
  let loaded = options.seed === false || seed !== undefined;
  let seedError: unknown;

  function seedEntries(p: SeedProvider): Compiled[] {
    let list = seedCompiled.get(p);
    if (list === undefined) {
      list = p.entries.map((e) => compile(e, "seed", false));
      seedCompiled.set(p, list);
    }
    return list;
  }

  function inProvider(p: SeedProvider, model: string): PriceMatch | undefined {
    const own = seedEntries(p).find((c) => hits(c, model, undefined));
    if (own !== undefined) return matchOf(own);
    for (const id of p.fallbacks) {
      const fallback = seed?.providers.get(id);
      const found = fallback && seedEntries(fallback).find((c) => hits(c, model, undefined));
      if (found) return matchOf(found);
    }
    return undefined;
  }

  function fromSeed(model: string, provider: string | undefined): PriceMatch | undefined {
    if (seed === undefined || (provider !== undefined && LOCAL_PROVIDERS.has(provider))) return undefined;
    const id = provider === undefined ? undefined : (SEED_PROVIDER_ALIASES[provider] ?? provider);
    const p = (id !== undefined ? seed.providers.get(id) : undefined) ?? seed.order.find((s) => s.modelMatch?.test(model));
    if (p === undefined) return undefined;
    const found = inProvider(p, model);
    if (found !== undefined) return found;
    const undated = model.replace(DATED, "$1$2-$3-$4");
    return undated !== model ? inProvider(p, undated) : undefined;
  }

  function findExact(model: string, provider: string | undefined): PriceMatch | undefined {
    for (const c of overrides) if (hits(c, model, provider)) return matchOf(c);
    for (const c of builtins) if (hits(c, model, provider)) return matchOf(c);
    return fromSeed(model.trim(), provider);
  }

  /**
   * The name as given first; then, for provider-prefixed and gateway names ("openai/gpt-4o-mini",
   * "gateway/anthropic/claude-3-5-haiku"), the underlying model under the provider its prefix names.
   */
  function find(model: string, provider: string | undefined): PriceMatch | undefined {
    let name = model;
    let owner = provider;
    for (;;) {
      const found = findExact(name, owner);
      if (found !== undefined) return found;
      const slash = name.indexOf("/");
      if (slash <= 0 || slash === name.length - 1) return undefined;
      owner = name.slice(0, slash);
      name = name.slice(slash + 1);
    }
  }

  const table: PriceTable = {
    get loaded() {
      return loaded;
    },
    get seedError() {
      return seedError;
    },
    ready() {
      if (loaded) return Promise.resolve(table);
      loading ??= loadSeedPrices(options.asOf !== undefined ? { asOf: options.asOf } : {}).then(
        (data) => {
          seed = data;
          loaded = true;
          memo.clear();
          return table;
        },
        (error: unknown) => {
          seedError = error;
          loaded = true;
          return table;
        },
      );
      return loading;
    },
    lookup(model, requestedProvider) {
      // A "custom" endpoint says nothing about whose prices apply: match by model name alone.
      const provider = requestedProvider === "custom" ? undefined : requestedProvider;
      if (!loaded) {
        throw new DspexError("OPTION_INVALID", `price table: lookup("${model}") before the seed prices loaded; await table.ready() first (or pass seed: false)`);
      }
      const key = provider === undefined ? model : `${provider}\u0000${model}`;
      const memoized = memo.get(key);
      if (memoized !== undefined) return memoized ?? undefined;
      const found = find(model, provider);
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(key, found ?? null);
      return found;
    },
    cost(usage, model, provider) {
      return computeCost(usage, table.lookup(model, provider));
    },
    withOverrides(entries) {
      const added = entries.map((e) => compile(e, "override", true)).reverse();
      return buildTable([...added, ...overrides], { ...options, seed: seed ?? options.seed });
    },
  };
  return table;
}
