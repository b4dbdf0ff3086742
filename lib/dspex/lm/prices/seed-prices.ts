// Seed prices from @pydantic/genai-prices' bundled data, converted to PriceEntries: each model's
// match rule (equals / starts_with / ends_with / contains / regex, combined with or / and) becomes
// one anchored, case-insensitive regular expression. Loaded on first need only (the package is
// large) and converted once.

import { decimalFromNumber } from "./money";
import type { PriceEntry, TokenPrices } from "./types";

/** One provider of the seed: its models in match order, the models it claims, where it falls back. */
export interface SeedProvider {
  readonly id: string;
  /** Which model names belong to this provider when a request names no provider. */
  readonly modelMatch?: RegExp;
  readonly fallbacks: readonly string[];
  readonly entries: readonly PriceEntry[];
}

export interface SeedPrices {
  readonly providers: ReadonlyMap<string, SeedProvider>;
  /** Providers in the package's order (used to infer a provider from a model name). */
  readonly order: readonly SeedProvider[];
  readonly version: string;
}

export interface SeedOptions {
  /** Which dated price applies (start_date constraints); default: when loaded. */
  readonly asOf?: Date;
}

// Provider ids of the bundled data (genai-prices 0.1.8), in its order. The package exposes lookup
// by id only, so the ids are listed; an id the installed version lacks is skipped.
const SEED_PROVIDER_IDS = [
  "anthropic", "arcee", "avian", "aws", "azure", "baseten", "cerebras", "cloudflare", "cohere", "cursor", "deepseek",
  "doubleword", "fireworks", "github-copilot", "google", "groq", "minimax", "mistral", "modal", "moonshotai", "novita",
  "openai", "openrouter", "ovhcloud", "perplexity", "quicksilverpro", "together", "typesafe", "voyageai", "x-ai", "zai",
  "zhipuai",
] as const;

const SEED_VERSION = "@pydantic/genai-prices 0.1.8";

type MatchLogic =
  | { and: MatchLogic[] }
  | { or: MatchLogic[] }
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string };

type RawPrice = number | { base: number; tiers: unknown[] } | undefined;
type RawPrices = Record<string, RawPrice>;
interface RawModel {
  id: string;
  match: MatchLogic;
  prices: RawPrices | { constraint?: { type?: string; start_date?: string }; prices: RawPrices }[];
  price_comments?: string;
}
interface RawProvider {
  id: string;
  model_match?: MatchLogic;
  fallback_model_providers?: string[];
  models: RawModel[];
}

const escape = (text: string) => text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A pattern that matches at position 0 exactly when the rule holds for the whole name. */
function matchSource(rule: MatchLogic): string {
  if ("or" in rule) return `(?:${rule.or.map(matchSource).join("|")})`;
  if ("and" in rule) return rule.and.map((r) => `(?=${matchSource(r)})`).join("");
  if ("equals" in rule) return `${escape(rule.equals)}$`;
  if ("starts_with" in rule) return escape(rule.starts_with);
  if ("ends_with" in rule) return `.*${escape(rule.ends_with)}$`;
  if ("contains" in rule) return `.*${escape(rule.contains)}`;
  return `(?=[\\s\\S]*?(?:${rule.regex}))`;
}

export function matchRuleToRegExp(rule: unknown): RegExp {
  return new RegExp(`^${matchSource(rule as MatchLogic)}`, "i");
}

function pickPrices(model: RawModel, asOf: Date): RawPrices {
  if (!Array.isArray(model.prices)) return model.prices;
  // As genai-prices does: the last entry that applies wins. Time-of-day entries (off-peak
  // discounts) are taken as always applying, so a price does not depend on the hour it is read.
  for (let i = model.prices.length - 1; i >= 0; i--) {
    const entry = model.prices[i]!;
    const c = entry.constraint;
    if (c === undefined || c.type === "time_of_date") return entry.prices;
    if (c.start_date !== undefined && asOf >= new Date(c.start_date)) return entry.prices;
  }
  return model.prices[0]?.prices ?? {};
}

function price(value: RawPrice): string | undefined {
  if (value === undefined) return undefined;
  // Tiered (long-context) prices: the base tier.
  return decimalFromNumber(typeof value === "number" ? value : value.base);
}

function toEntry(provider: RawProvider, model: RawModel, asOf: Date): PriceEntry | undefined {
  const raw = pickPrices(model, asOf);
  const input = price(raw.input_mtok);
  const output = price(raw.output_mtok);
  if (input === undefined && output === undefined) return undefined; // not priced per token
  const prices: { -readonly [K in keyof TokenPrices]: TokenPrices[K] } = { input: input ?? "0", output: output ?? "0" };
  const cached = price(raw.cache_read_mtok);
  const write = price(raw.cache_write_mtok);
  const reasoning = price(raw.output_reasoning_mtok);
  if (cached !== undefined) prices.cachedInput = cached;
  if (write !== undefined) prices.cacheWrite = write;
  if (reasoning !== undefined) prices.reasoning = reasoning;
  return {
    model: matchRuleToRegExp(model.match),
    provider: provider.id,
    prices,
    source: `${SEED_VERSION}: ${provider.id}/${model.id}`,
    ...(model.price_comments !== undefined && { note: model.price_comments }),
  };
}

let defaultSeed: Promise<SeedPrices> | undefined;

/** Loads and converts the bundled prices (memoized unless `asOf` is given). */
export function loadSeedPrices(options: SeedOptions = {}): Promise<SeedPrices> {
  if (options.asOf !== undefined) return convert(options.asOf);
  defaultSeed ??= convert(new Date());
  return defaultSeed;
}

async function convert(asOf: Date): Promise<SeedPrices> {
  const { findProvider } = await import("@pydantic/genai-prices");
  const providers = new Map<string, SeedProvider>();
  const order: SeedProvider[] = [];
  for (const id of SEED_PROVIDER_IDS) {
    const raw = findProvider({ providerId: id }) as unknown as RawProvider | undefined;
    if (raw === undefined || raw.id !== id || providers.has(id)) continue;
    const entries: PriceEntry[] = [];
    for (const model of raw.models) {
      const entry = toEntry(raw, model, asOf);
      if (entry !== undefined) entries.push(entry);
    }
    const seedProvider: SeedProvider = {
      id,
      ...(raw.model_match !== undefined && { modelMatch: matchRuleToRegExp(raw.model_match) }),
      fallbacks: raw.fallback_model_providers ?? [],
      entries,
    };
    providers.set(id, seedProvider);
    order.push(seedProvider);
  }
  return { providers, order, version: SEED_VERSION };
}
