// Settings: users, providers (OpenAI-compatible endpoints) and the price table. Shared by the
// serving routes and the dashboard's forms.
import { z } from "zod";
import { UserViewSchema } from "./auth";
import { DateInputSchema, IdSchema, PageQuerySchema } from "./pagination";

export const SettingsIdParamsSchema = z.object({ id: IdSchema });

// ---------------------------------------------------------------- users

export const UserListSchema = z.object({ items: z.array(UserViewSchema) });

// ---------------------------------------------------------------- providers

export const PROVIDER_KINDS = ["openai-compatible", "openai", "azure", "anthropic", "gemini", "openrouter", "litellm", "ollama", "vllm", "lmstudio"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** How each kind is shown in Settings, with the base URL it usually has. */
export const PROVIDER_KIND_LABELS: { readonly [K in ProviderKind]: { readonly label: string; readonly exampleBaseUrl: string } } = {
  "openai-compatible": { label: "Any OpenAI-compatible URL", exampleBaseUrl: "https://my-gateway.example.com/v1" },
  openai: { label: "OpenAI", exampleBaseUrl: "https://api.openai.com/v1" },
  azure: { label: "Azure OpenAI", exampleBaseUrl: "https://<resource>.openai.azure.com" },
  anthropic: { label: "Anthropic (Messages API)", exampleBaseUrl: "https://api.anthropic.com" },
  gemini: { label: "Google Gemini (OpenAI-compatible)", exampleBaseUrl: "https://generativelanguage.googleapis.com/v1beta/openai/" },
  openrouter: { label: "OpenRouter", exampleBaseUrl: "https://openrouter.ai/api/v1" },
  litellm: { label: "LiteLLM proxy", exampleBaseUrl: "http://localhost:4000/v1" },
  ollama: { label: "Ollama", exampleBaseUrl: "http://localhost:11434/v1" },
  vllm: { label: "vLLM", exampleBaseUrl: "http://localhost:8000/v1" },
  lmstudio: { label: "LM Studio", exampleBaseUrl: "http://localhost:1234/v1" },
};
export const ProviderKindSchema = z.enum(PROVIDER_KINDS, { message: `must be one of ${PROVIDER_KINDS.join(", ")}` });

/** What a model can do; the adapters pick structured output and tools from these. */
export const ModelCapabilitiesSchema = z.strictObject({
  structuredOutputs: z.boolean(),
  tools: z.boolean(),
  streaming: z.boolean(),
  reasoning: z.boolean(),
  promptCaching: z.boolean(),
});
export type ModelCapabilities = z.infer<typeof ModelCapabilitiesSchema>;

/** A model a provider serves: listed by the provider ("Test connection"/"Refresh") or typed in. */
export const ProviderModelSchema = z.strictObject({
  id: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters").refine((v) => !/\s/.test(v), "must not contain spaces"),
  capabilities: ModelCapabilitiesSchema.partial().optional(),
  source: z.enum(["listed", "typed"]).default("typed"),
});
export type ProviderModel = z.output<typeof ProviderModelSchema>;
export const ProviderModelListSchema = z.array(ProviderModelSchema).max(2_000, "must list at most 2000 models");

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Extra headers sent with every call (OpenRouter's HTTP-Referer, a gateway's own key...); sealed at rest. */
export const ProviderHeadersSchema = z
  .record(z.string().regex(HEADER_NAME, "header names may hold letters, digits and -_.!#$%&'*+^`|~").max(200), z.string().max(4_000, "header values must be at most 4000 characters"))
  .refine((h) => Object.keys(h).length <= 30, "must hold at most 30 headers");

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const baseUrl = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(2_000, "must be at most 2000 characters")
  .refine((v) => URL.canParse(v), "must be a URL such as https://api.openai.com/v1")
  .refine((v) => !URL.canParse(v) || ["http:", "https:"].includes(new URL(v).protocol), "must start with http:// or https://");

const providerName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(60, "must be at most 60 characters")
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "may hold letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit");

const apiKey = z.string().trim().min(1, "must not be empty").max(4_000, "must be at most 4000 characters");
const model = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

export const CreateProviderBodySchema = z.strictObject({
  name: providerName,
  kind: ProviderKindSchema.default("openai-compatible"),
  baseUrl,
  /** Encrypted at rest; never sent back. Empty: no key (local servers). */
  apiKey: z.preprocess(emptyAsUndefined, apiKey.optional()),
  defaultModel: z.preprocess(emptyAsUndefined, model.optional()),
  headers: ProviderHeadersSchema.optional(),
  /** Models typed in by hand (a provider whose list is not reachable); "Refresh" adds the listed ones. */
  models: ProviderModelListSchema.optional(),
});
export type CreateProviderBody = z.input<typeof CreateProviderBodySchema>;

/** Every field optional; `apiKey`: a new key replaces the stored one, null removes it, absent keeps it. */
export const UpdateProviderBodySchema = z.strictObject({
  name: providerName.optional(),
  kind: ProviderKindSchema.optional(),
  baseUrl: baseUrl.optional(),
  apiKey: z.preprocess(emptyAsUndefined, apiKey.nullable().optional()),
  defaultModel: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), model.nullable().optional()),
  /** Replaces every extra header; null removes them. */
  headers: ProviderHeadersSchema.nullable().optional(),
  /** Replaces the model list. */
  models: ProviderModelListSchema.optional(),
});
export type UpdateProviderBody = z.input<typeof UpdateProviderBodySchema>;

/** "set": stored and readable with this server's secret key; "unreadable": stored under another secret key. */
export const ProviderKeyStatusSchema = z.enum(["set", "unset", "unreadable"]);

/** A provider as the browser sees it: the key only as a status and its last 4 characters. */
export const ProviderViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  baseUrl: z.string(),
  defaultModel: z.string().nullable(),
  keyStatus: ProviderKeyStatusSchema,
  /** The last 4 characters of the key (only when it is at least 12 characters long), else null. */
  keyLast4: z.string().nullable(),
  /** Names of the extra headers (their values stay on the server, sealed). */
  headerNames: z.array(z.string()),
  /** Its models with their capabilities (the kind's defaults filled in). */
  models: z.array(z.object({ id: z.string(), capabilities: ModelCapabilitiesSchema, source: z.enum(["listed", "typed"]) })),
  modelsFetchedAt: z.string().nullable(),
  /** True for the provider built from the environment (DSPEX_LM_*, OPENAI_*): shown, not editable here. */
  bootstrap: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProviderView = z.infer<typeof ProviderViewSchema>;

export const ProviderListSchema = z.object({ items: z.array(ProviderViewSchema) });

/** The answer of "Test connection": success with latency and models, or the exact error. */
export const ProviderTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative(),
  /** What was called, e.g. "GET http://127.0.0.1:8000/v1/models". */
  request: z.string(),
  /** Model ids the endpoint lists (at most 20). */
  models: z.array(z.string()),
  modelCount: z.number().int().nonnegative(),
  /** The HTTP status of a failed call, when there was an answer. */
  status: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type ProviderTestResult = z.infer<typeof ProviderTestResultSchema>;

// ---------------------------------------------------------------- prices

const PRICE_PATTERN = /^\d{1,9}(\.\d{1,9})?$/;
const priceMessage = "must be US dollars per million tokens, such as 0.15 (at most 9 decimals)";
const price = z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().trim().regex(PRICE_PATTERN, priceMessage));
const optionalPrice = z.preprocess((v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : typeof v === "number" ? String(v) : v), z.string().trim().regex(PRICE_PATTERN, priceMessage).optional());

export const CreatePriceBodySchema = z.strictObject({
  /** A regular expression matched against the model name, e.g. ^gpt-4o-mini. */
  pattern: z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(300, "must be at most 300 characters")
    .refine((v) => {
      try {
        new RegExp(v);
        return true;
      } catch {
        return false;
      }
    }, "must be a valid regular expression, such as ^gpt-4o-mini"),
  /** Only for this provider (an LM's provider, e.g. "openai", "custom"); empty: any. */
  provider: z.preprocess((v) => (v === null || v === undefined ? "" : v), z.string().trim().max(60, "must be at most 60 characters")),
  input: price,
  output: price,
  cachedInput: optionalPrice,
  cacheWrite: optionalPrice,
  reasoning: optionalPrice,
  /** When the price starts to apply; default now. */
  validFrom: z.preprocess((v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v), DateInputSchema.optional()),
});
export type CreatePriceBody = z.input<typeof CreatePriceBodySchema>;

export const PriceOriginSchema = z.enum(["override", "builtin", "seed"]);

/** One price entry, USD per million tokens as decimal strings (null: falls back as documented). */
export const PriceRowSchema = z.object({
  /** The stored row's id (overrides only). */
  id: z.string().nullable(),
  origin: PriceOriginSchema,
  pattern: z.string(),
  provider: z.string(),
  input: z.string(),
  output: z.string(),
  cachedInput: z.string().nullable(),
  cacheWrite: z.string().nullable(),
  reasoning: z.string().nullable(),
  validFrom: z.string().nullable(),
  source: z.string().nullable(),
  note: z.string().nullable(),
});
export type PriceRow = z.infer<typeof PriceRowSchema>;

export const PriceListQuerySchema = PageQuerySchema.extend({
  origin: PriceOriginSchema.optional(),
  /** Case-insensitive text in the pattern or the provider. */
  search: z.string().trim().max(100, "must be at most 100 characters").optional(),
});
export type PriceListQuery = z.input<typeof PriceListQuerySchema>;

export const PricePageSchema = z.object({
  items: z.array(PriceRowSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
  /** Where the seed prices come from, or why they could not be loaded. */
  seed: z.object({ version: z.string().nullable(), error: z.string().nullable() }),
  /** Whether stored overrides change what the running server charges (false: stored and listed only). */
  overridesApplied: z.boolean(),
});

export const PriceLookupQuerySchema = z.object({
  model: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  provider: z.string().trim().max(60, "must be at most 60 characters").optional(),
});

export const PriceLookupSchema = z.object({
  model: z.string(),
  /** The price the running server charges for this model now (null: unpriced, cost 0 and flagged). */
  charged: PriceRowSchema.nullable(),
  /** The newest stored override that matches (valid now), if any. */
  override: PriceRowSchema.nullable(),
});
