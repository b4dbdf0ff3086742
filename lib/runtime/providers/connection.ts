// One provider's client: a Settings row (or the environment's bootstrap provider) opened into an
// LM through the framework's provider clients (the openai SDK with the kind's profile, or the
// native Anthropic client). A provider that cannot be built (no key where one is needed) still becomes an LM,
// one whose every call fails with the reason, so one bad row never takes the others down.
import { createProviderClient, LMError, type LM, type ProviderConfig } from "../../dspex";
import type { ModelCapabilities } from "../../schemas";
import { kindInfo } from "./kinds";

export interface ProviderModelInfo {
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  readonly source: "listed" | "typed";
}

/** A provider with its key opened: what the router needs to build and pick its client. */
export interface ProviderConnection {
  readonly name: string;
  readonly kind: string;
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly defaultModel?: string;
  readonly models: readonly ProviderModelInfo[];
  /** The environment's provider (DSPEX_LM_*, OPENAI_*), not a Settings row. */
  readonly bootstrap: boolean;
  /** Set when the stored key could not be opened (another secret key). */
  readonly keyError?: string;
}

/** Anthropic's API root without a trailing /v1 (people paste either form). */
export function anthropicRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
}

function failing(name: string, message: string): LM {
  const error = () => new LMError("LM_NOT_CONFIGURED", message, { provider: name });
  return {
    provider: name,
    complete: () => Promise.reject(error()),
    // eslint-disable-next-line require-yield
    stream: async function* () {
      throw error();
    },
  };
}

/** The framework's provider config for a connection (models: listed or typed; none: the kind's family, or any name). */
export function providerConfigOf(p: ProviderConnection): ProviderConfig {
  const info = kindInfo(p.kind);
  const base = p.baseUrl.replace(/\/+$/, "");
  return {
    name: p.name,
    kind: info.profile,
    ...(info.protocol === "anthropic" ? { baseURL: anthropicRoot(base) } : info.profile === "azure" ? { endpoint: base.replace(/\/openai$/, "") } : { baseURL: p.baseUrl }),
    ...(p.apiKey && { apiKey: p.apiKey }),
    ...(p.headers && { headers: p.headers }),
    ...(p.defaultModel && { defaultModel: p.defaultModel }),
    ...(p.models.length > 0 && { models: p.models.map((m) => m.id) }),
    // The resource chain retries (honouring Retry-After) for every provider the same way.
    maxRetries: 0,
  };
}

/** The provider's client: the native Anthropic one for Anthropic, the openai SDK for the rest. */
export function connectProvider(p: ProviderConnection): LM {
  if (p.keyError) return failing(p.name, `provider "${p.name}": its stored API key cannot be read (${p.keyError}); enter the key again in Settings → Providers`);
  try {
    return createProviderClient(providerConfigOf(p));
  } catch (err) {
    return failing(p.name, `provider "${p.name}" (${kindInfo(p.kind).label}) cannot be used: ${err instanceof Error ? err.message : String(err)}; fix it in Settings → Providers`);
  }
}
