// Provider profiles: what each OpenAI-compatible endpoint accepts, as data. The client reads a
// profile to adapt every request (rename or drop what a provider does not take) instead of failing.
// Sources are the providers' own OpenAI-compatibility pages; see `notes` on each profile.

import { DspexError } from "../errors";

export type ProviderName =
  | "openai"
  | "azure"
  | "ollama"
  | "vllm"
  | "lmstudio"
  | "openrouter"
  | "groq"
  | "together"
  | "anthropic"
  | "gemini"
  | "custom";

export interface ProviderProfile {
  readonly name: ProviderName;
  /** Default base URL (none for Azure, whose URL comes from `endpoint`, and for "custom"). */
  readonly baseURL?: string;
  /** True when the endpoint rejects calls without a key; local servers take any placeholder. */
  readonly needsApiKey: boolean;
  /** Which parameter carries the output-token limit for ordinary (non-reasoning) models. */
  readonly maxTokensParam: "max_tokens" | "max_completion_tokens";
  /** `response_format: { type: "json_schema" }` is honoured. */
  readonly jsonSchema: boolean;
  /** When set, json_schema is honoured only for these models; others get json_object instead. */
  readonly jsonSchemaModels?: RegExp;
  /** `response_format: { type: "json_object" }` is honoured. */
  readonly jsonObject: boolean;
  /** `n` > 1 is honoured; when false the client sends n parallel single-choice requests. */
  readonly multipleChoices: boolean;
  /** Send `stream_options: { include_usage: true }` when streaming. */
  readonly streamUsage: boolean;
  /** `seed` is honoured (dropped otherwise). */
  readonly seed: boolean;
  /** How reasoning effort is sent: OpenAI's `reasoning_effort`, OpenRouter's `reasoning: { effort }`, or not at all. */
  readonly reasoningEffort: "reasoning_effort" | "reasoning" | false;
  /** `messages[].name` is accepted (Groq answers 400 to it). */
  readonly messageName: boolean;
  /** Temperatures above this are clamped (Anthropic caps at 1). */
  readonly temperatureMax?: number;
  /**
   * Reasoning models of this provider (OpenAI o-series, gpt-5): they take max_completion_tokens,
   * reject temperature other than 1, top_p and stop, and alone accept reasoning_effort.
   */
  readonly reasoningModels?: RegExp;
  /** Models that reject the system role (o1-mini, o1-preview): system messages are sent as user. */
  readonly systemAsUserModels?: RegExp;
  /** Where the flags come from and what they leave out. */
  readonly notes: readonly string[];
}

// o1, o1-mini, o3, o3-mini, o3-pro, o4-mini (with dates), gpt-5, gpt-5-mini, gpt-5.1... but not
// gpt-5-chat, which behaves like an ordinary chat model.
const OPENAI_REASONING = /^(?:o[134](?:-|$)|gpt-5(?!-chat)(?:[.-]|$))/;
const OPENAI_NO_SYSTEM = /^o1-(?:mini|preview)/;

const PROFILES: { readonly [K in ProviderName]: ProviderProfile } = {
  openai: {
    name: "openai",
    baseURL: "https://api.openai.com/v1",
    needsApiKey: true,
    maxTokensParam: "max_completion_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: true,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    reasoningModels: OPENAI_REASONING,
    systemAsUserModels: OPENAI_NO_SYSTEM,
    notes: [
      "platform.openai.com/docs/guides/reasoning: o-series and gpt-5 take max_completion_tokens; temperature only 1; no top_p, stop, penalties",
      "reasoning_effort 'minimal' exists for gpt-5 only; o-series get 'low' instead",
    ],
  },
  azure: {
    name: "azure",
    needsApiKey: true,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: true,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    reasoningModels: OPENAI_REASONING,
    systemAsUserModels: OPENAI_NO_SYSTEM,
    notes: [
      "URL is {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...; the request model names the deployment unless `deployment` is set",
      "max_tokens for ordinary deployments (older api-versions lack max_completion_tokens); reasoning deployments as on OpenAI, which needs the deployment name to contain the model name (or pass reasoningModels)",
    ],
  },
  ollama: {
    name: "ollama",
    baseURL: "http://localhost:11434/v1",
    needsApiKey: false,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: false,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    notes: ["docs.ollama.com/api/openai-compatibility: no `n`; response_format, seed, stop, stream_options.include_usage, reasoning_effort supported"],
  },
  vllm: {
    name: "vllm",
    baseURL: "http://localhost:8000/v1",
    needsApiKey: false,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: true,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    notes: ["vLLM OpenAI server: n, seed, json_schema (guided decoding), stream_options supported; unknown fields are ignored"],
  },
  lmstudio: {
    name: "lmstudio",
    baseURL: "http://localhost:1234/v1",
    needsApiKey: false,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: false,
    multipleChoices: false,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    notes: ["LM Studio structured output takes json_schema only (json_object is refused); no `n`"],
  },
  openrouter: {
    name: "openrouter",
    baseURL: "https://openrouter.ai/api/v1",
    needsApiKey: true,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: false,
    streamUsage: false,
    seed: true,
    reasoningEffort: "reasoning",
    messageName: true,
    notes: [
      "openrouter.ai/docs: usage (with prompt_tokens_details.cached_tokens and cache_write_tokens) always arrives, stream_options is deprecated",
      "reasoning effort goes in `reasoning: { effort }`; `n` is not honoured",
    ],
  },
  groq: {
    name: "groq",
    baseURL: "https://api.groq.com/openai/v1",
    needsApiKey: true,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonSchemaModels: /gpt-oss|kimi-k2|llama-4/,
    jsonObject: true,
    multipleChoices: false,
    streamUsage: false,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: false,
    notes: [
      "console.groq.com/docs/openai: messages[].name, logprobs, logit_bias are refused with 400; n must be 1",
      "streamed usage arrives in the final chunk's x_groq.usage; json_schema only on the structured-output models",
    ],
  },
  together: {
    name: "together",
    baseURL: "https://api.together.xyz/v1",
    needsApiKey: true,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: true,
    streamUsage: false,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    notes: ["Together chat completions: n, seed, response_format json_schema supported; streamed usage comes in the last chunk"],
  },
  anthropic: {
    name: "anthropic",
    baseURL: "https://api.anthropic.com/v1/",
    needsApiKey: true,
    maxTokensParam: "max_tokens",
    jsonSchema: false,
    jsonObject: false,
    multipleChoices: false,
    streamUsage: true,
    seed: false,
    reasoningEffort: false,
    messageName: true,
    temperatureMax: 1,
    notes: [
      "docs.anthropic.com/en/api/openai-sdk: n must be exactly 1; response_format, seed, reasoning_effort are ignored; temperature capped at 1",
    ],
  },
  gemini: {
    name: "gemini",
    baseURL: "https://generativelanguage.googleapis.com/v1beta/openai/",
    needsApiKey: true,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: false,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    notes: ["ai.google.dev/gemini-api/docs/openai: reasoning_effort, response_format json_schema, stream_options supported; n not relied on"],
  },
  custom: {
    name: "custom",
    needsApiKey: false,
    maxTokensParam: "max_tokens",
    jsonSchema: true,
    jsonObject: true,
    multipleChoices: true,
    streamUsage: true,
    seed: true,
    reasoningEffort: "reasoning_effort",
    messageName: true,
    notes: ["Any OpenAI-compatible server; pass `profile` to switch off what it does not take"],
  },
};

export const PROVIDER_NAMES: readonly ProviderName[] = Object.freeze(Object.keys(PROFILES) as ProviderName[]);

/** The built-in profile of a provider. */
export function getProviderProfile(name: ProviderName): ProviderProfile {
  const profile = (PROFILES as Partial<Record<string, ProviderProfile>>)[name];
  if (!profile) {
    throw new DspexError(
      "OPTION_INVALID",
      `provider "${String(name)}" is unknown; use one of ${PROVIDER_NAMES.join(", ")} (or "custom" with a baseURL)`,
    );
  }
  return profile;
}

/** A built-in profile with some flags replaced (for a server that differs from its family). */
export function resolveProviderProfile(name: ProviderName, overrides?: Partial<Omit<ProviderProfile, "name">>): ProviderProfile {
  const base = getProviderProfile(name);
  return overrides ? { ...base, ...overrides, name } : base;
}
