import { CreatePriceBodySchema, PriceListQuerySchema, PriceLookupQuerySchema, PriceLookupSchema, PricePageSchema, PriceRowSchema, SettingsIdParamsSchema } from "../../schemas";
import { route } from "./define";

export const pricesRoutes = {
  listPrices: route({
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
  }),
  lookupPrice: route({
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
  }),
  createPriceOverride: route({
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
  }),
  deletePriceOverride: route({
    method: "POST",
    path: "/api/v1/prices/{id}/delete",
    operationId: "deletePriceOverride",
    summary: "Delete a price override",
    tag: "settings",
    auth: "admin",
    params: SettingsIdParamsSchema,
    success: { status: 200, name: "PriceRow", schema: PriceRowSchema, description: "The override as it was." },
    errors: ["NOT_FOUND"],
  }),
};
