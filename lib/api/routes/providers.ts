import { CreateProviderBodySchema, SettingsIdParamsSchema, ProviderListSchema, ProviderTestResultSchema, ProviderViewSchema, UpdateProviderBodySchema, type CreateProviderBody } from "../../schemas";
import { route } from "./define";

const common = { tag: "settings", auth: "admin" } as const;
const byId = { ...common, params: SettingsIdParamsSchema } as const;

export const providersRoutes = {
  listProviders: route({
    ...common,
    method: "GET",
    path: "/api/v1/providers",
    operationId: "listProviders",
    summary: "List providers",
    description: "Every provider with its models; the environment's provider (DSPEX_LM_BASE_URL) first, read-only. Never the API key: only whether one is set and, for long keys, its last 4 characters.",
    success: { status: 200, name: "ProviderList", schema: ProviderListSchema, description: "Every provider, by name." },
    errors: [],
  }),
  createProvider: route({
    ...common,
    method: "POST",
    path: "/api/v1/providers",
    operationId: "createProvider",
    summary: "Add a provider",
    description: "OpenAI, Azure OpenAI, Anthropic, Gemini, a gateway (OpenRouter, LiteLLM), a local server (Ollama, vLLM, LM Studio) or any OpenAI-compatible URL. The API key and headers are encrypted at rest (AES-256-GCM) and never answered back. Runs use it at once.",
    body: {
      name: "CreateProviderBody",
      schema: CreateProviderBodySchema,
      example: { name: "openai", kind: "openai", baseUrl: "https://api.openai.com/v1", apiKey: "sk-...", defaultModel: "gpt-4o-mini" } satisfies CreateProviderBody,
      limit: "single",
    },
    success: { status: 201, name: "ProviderView", schema: ProviderViewSchema, description: "The provider (without its key)." },
    errors: ["CONFLICT", "NOT_READY"],
  }),
  updateProvider: route({
    ...byId,
    method: "POST",
    path: "/api/v1/providers/{id}",
    operationId: "updateProvider",
    summary: "Change a provider",
    description: "Fields left out stay; apiKey: a new key replaces the stored one, null removes it; headers and models replace the stored ones. Runs use the change at once.",
    body: { name: "UpdateProviderBody", schema: UpdateProviderBodySchema, example: { baseUrl: "http://127.0.0.1:11434/v1", apiKey: null }, limit: "single" },
    success: { status: 200, name: "ProviderView", schema: ProviderViewSchema, description: "The provider after the change." },
    errors: ["NOT_FOUND", "CONFLICT", "NOT_READY"],
  }),
  deleteProvider: route({
    ...byId,
    method: "POST",
    path: "/api/v1/providers/{id}/delete",
    operationId: "deleteProvider",
    summary: "Delete a provider",
    description: "Deletes the provider and its stored key; calls naming its models fail from then on with an error that lists the providers left.",
    success: { status: 200, name: "ProviderView", schema: ProviderViewSchema, description: "The provider as it was." },
    errors: ["NOT_FOUND"],
  }),
  testProvider: route({
    ...byId,
    method: "POST",
    path: "/api/v1/providers/{id}/test",
    operationId: "testProvider",
    summary: "Test a provider's connection and refresh its models",
    description:
      "Asks the provider for its model list from the server with the stored key and headers (GET {baseUrl}/models, or Anthropic's GET /v1/models; timeout 10 s). On success the listed models replace the previously listed ones (models typed by hand stay). Answers the latency and models, or the exact error; never the key.",
    success: { status: 200, name: "ProviderTestResult", schema: ProviderTestResultSchema, description: "What the endpoint answered." },
    errors: ["NOT_FOUND"],
  }),
};
