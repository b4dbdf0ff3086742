// Providers and `provider/model` references: any number of providers (OpenAI-compatible ones
// through the openai SDK, Anthropic natively), each with the models it serves, behind one LM that
// picks the client by the model a request names. A model no provider serves is an error naming
// the model and the providers that exist.

import { DspexError, LMError } from "../errors";
import { createAnthropicLM } from "./anthropic-lm";
import { createOpenAILM } from "./openai-lm";
import type { OpenAILMOptions } from "./openai-client";
import { PROVIDER_NAMES } from "./profiles";
import type { ProviderName, ProviderProfile } from "./profiles";
import type { LM, LMCallOptions, LMRequest, LMStreamEvent } from "./types";

export interface ProviderConfig {
  /** What references use: "openai", "anthropic", "my-gateway". Unique among the providers. */
  readonly name: string;
  /** The protocol family; "anthropic" speaks the native Messages API, every other kind the OpenAI protocol. */
  readonly kind: ProviderName;
  readonly baseURL?: string;
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The models it serves. Absent: the kind's own families (gpt-/o-series for openai, claude- for
   * anthropic, gemini- for gemini); kinds with no fixed family (gateways, local servers, custom)
   * then serve any name.
   */
  readonly models?: readonly string[];
  /** The model used when a request names none and this provider is the first. */
  readonly defaultModel?: string;
  /** Azure. */
  readonly endpoint?: string;
  readonly apiVersion?: string;
  readonly deployment?: string;
  /** Capability flags that differ from the kind's profile. */
  readonly profile?: Partial<Omit<ProviderProfile, "name">>;
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
}

/** Model families of the kinds that serve only their own models (when no model list is given). */
const FAMILIES: Partial<Record<ProviderName, RegExp>> = {
  openai: /^(?:gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage|ft:)/,
  azure: /^(?:gpt-|o\d)/,
  anthropic: /^claude-/,
  gemini: /^(?:gemini-|gemma-)/,
};

export interface ResolvedModel {
  readonly provider: ProviderConfig;
  /** The model name the provider knows (the reference without its provider prefix). */
  readonly model: string;
}

export interface ProvidersLM extends LM {
  readonly providers: readonly ProviderConfig[];
  /** Which provider serves a reference, and under what name; throws LM_NOT_CONFIGURED when none does. */
  resolve(reference: string): ResolvedModel;
  /** The client of one provider (created on first use). */
  lmOf(name: string): LM;
}

/** The LM for one provider config: the native Anthropic client, or the OpenAI-compatible one. */
export function createProviderClient(config: ProviderConfig): LM {
  const common = { apiKey: config.apiKey, baseURL: config.baseURL, headers: config.headers, maxRetries: config.maxRetries, timeoutMs: config.timeoutMs, providerName: config.name };
  if (config.kind === "anthropic") return createAnthropicLM({ ...common, model: config.defaultModel });
  const options: OpenAILMOptions = {
    ...common,
    provider: config.kind,
    model: config.defaultModel,
    endpoint: config.endpoint,
    apiVersion: config.apiVersion,
    deployment: config.deployment,
    profile: config.profile,
  };
  return createOpenAILM(options);
}

function serves(config: ProviderConfig, model: string): "listed" | "family" | "any" | false {
  if (config.models !== undefined) return config.models.includes(model) ? "listed" : false;
  const family = FAMILIES[config.kind];
  if (family === undefined) return "any";
  return family.test(model) ? "family" : false;
}

function describeProvider(config: ProviderConfig): string {
  if (config.models !== undefined) return `${config.name} (${config.models.length === 0 ? "no models" : config.models.slice(0, 6).join(", ") + (config.models.length > 6 ? ", ..." : "")})`;
  const family = FAMILIES[config.kind];
  return family !== undefined ? `${config.name} (${config.kind} models)` : `${config.name} (any model)`;
}

/**
 * Which provider serves `reference`: "provider/model" names the provider (the rest is the model,
 * which may itself contain slashes, as gateway names do); a bare name goes to the first provider
 * that lists it, else the first whose family it belongs to, else the first that takes any name.
 */
export function resolveModelReference(providers: readonly ProviderConfig[], reference: string): ResolvedModel {
  const slash = reference.indexOf("/");
  if (slash > 0) {
    const named = providers.find((p) => p.name === reference.slice(0, slash));
    if (named !== undefined) return { provider: named, model: reference.slice(slash + 1) };
  }
  const ranked = (["listed", "family", "any"] as const).map((how) => providers.find((p) => serves(p, reference) === how));
  const found = ranked.find((p) => p !== undefined);
  if (found !== undefined) return { provider: found, model: reference };
  const list = providers.length === 0 ? "none is configured" : `configured: ${providers.map(describeProvider).join("; ")}`;
  throw new LMError(
    "LM_NOT_CONFIGURED",
    `model "${reference}" is served by no provider (${list}); name it as "provider/model", add it to a provider's models, or configure a provider that serves it`,
    { provider: "providers", model: reference },
  );
}

export interface ProvidersLMOptions {
  /** Builds each provider's client; default createProviderClient. */
  readonly clientOf?: (config: ProviderConfig) => LM;
  /** The reference used when a request names no model; default the first provider's default. */
  readonly defaultModel?: string;
}

export function createProvidersLM(providers: readonly ProviderConfig[], options: ProvidersLMOptions = {}): ProvidersLM {
  if (providers.length === 0) throw new DspexError("OPTION_INVALID", "createProvidersLM: no providers; pass at least one { name, kind, apiKey?, baseURL?, models? }");
  const names = new Set<string>();
  for (const p of providers) {
    if (!PROVIDER_NAMES.includes(p.kind)) throw new DspexError("OPTION_INVALID", `provider "${p.name}": kind "${String(p.kind)}" is unknown; use one of ${PROVIDER_NAMES.join(", ")}`);
    if (names.has(p.name)) throw new DspexError("OPTION_INVALID", `provider name "${p.name}" is used twice; names must be unique (they prefix model references)`);
    names.add(p.name);
  }
  const clientOf = options.clientOf ?? createProviderClient;
  const clients = new Map<string, LM>();
  const first = providers[0] as ProviderConfig;
  const defaultModel = options.defaultModel ?? first.defaultModel ?? first.models?.[0];
  const resolved = new Map<string, ResolvedModel>();
  const resolve = (reference: string): ResolvedModel => {
    let found = resolved.get(reference);
    if (found === undefined) {
      found = resolveModelReference(providers, reference);
      if (resolved.size >= 1024) resolved.clear();
      resolved.set(reference, found);
    }
    return found;
  };

  function lmOf(name: string): LM {
    let lm = clients.get(name);
    if (lm === undefined) {
      const config = providers.find((p) => p.name === name);
      if (config === undefined) throw new LMError("LM_NOT_CONFIGURED", `provider "${name}" is not configured; configured: ${providers.map((p) => p.name).join(", ")}`, { provider: name });
      lm = clientOf(config);
      clients.set(name, lm);
    }
    return lm;
  }

  function route(request: LMRequest): { lm: LM; request: LMRequest } {
    const reference = request.model ?? defaultModel;
    if (reference === undefined) {
      throw new LMError("LM_NOT_CONFIGURED", `the request names no model and provider "${first.name}" has no default; set the model (e.g. "${first.name}/<model>")`, { provider: first.name });
    }
    const { provider, model } = resolve(reference);
    return { lm: lmOf(provider.name), request: model === request.model ? request : { ...request, model } };
  }

  async function* stream(request: LMRequest, call?: LMCallOptions): AsyncGenerator<LMStreamEvent> {
    const target = route(request);
    if (target.lm.stream !== undefined) {
      yield* target.lm.stream(target.request, call);
      return;
    }
    const response = await target.lm.complete(target.request, call);
    if (response.text !== "") yield { type: "text", delta: response.text };
    yield { type: "done", response };
  }

  return {
    provider: providers.length === 1 ? first.name : "providers",
    defaultModel,
    providers,
    resolve,
    lmOf,
    complete(request, call) {
      try {
        const target = route(request);
        return target.lm.complete(target.request, call);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    stream,
  };
}
