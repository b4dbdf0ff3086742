// Builds the one SDK client an OpenAI-compatible LM uses for all its calls, with every setting
// passed explicitly (the SDK would otherwise read OPENAI_* environment variables), and a fetch
// wrapper that counts HTTP attempts per call so responses can report their retries.

import OpenAI, { AzureOpenAI } from "openai";
import { DspexError, LMError } from "../errors";
import { keepAliveFetch } from "./keep-alive-fetch";
import type { ProviderName, ProviderProfile } from "./profiles";

export interface OpenAILMOptions {
  /** Which provider family; default "openai". */
  readonly provider?: ProviderName;
  /** Required for providers that need a key (all but ollama, vllm, lmstudio, custom). */
  readonly apiKey?: string;
  /** Overrides the profile's default base URL; required for "custom". */
  readonly baseURL?: string;
  /** The model used when a request names none (for Azure: the deployment, if `deployment` is unset). */
  readonly model?: string;
  /** Azure: https://<resource>.openai.azure.com (the SDK appends /openai). */
  readonly endpoint?: string;
  /** Azure: fixes the deployment for every call; otherwise the request's model names it. */
  readonly deployment?: string;
  /** Azure: api-version query parameter; default "2024-10-21". */
  readonly apiVersion?: string;
  /** Azure: Entra ID token provider instead of apiKey. */
  readonly azureADTokenProvider?: () => Promise<string>;
  /** Flags that differ from the built-in profile (e.g. a custom server without `n`). */
  readonly profile?: Partial<Omit<ProviderProfile, "name">>;
  /** Name reported as `provider` on the LM and its responses (used for prices); default the profile name. */
  readonly providerName?: string;
  /** SDK retries on 408/409/429/5xx/connection errors, with backoff honouring Retry-After; default 2. */
  readonly maxRetries?: number;
  /** Per-attempt timeout in ms (the SDK's); default 600000. A call's own timeoutMs wins. */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly organization?: string;
  readonly project?: string;
  /** The fetch the SDK uses; default providerFetch() (a keep-alive connection pool). */
  readonly fetch?: typeof fetch;
  /** Monotonic clock in ms for latency; default performance.now. */
  readonly now?: () => number;
}

/** Per-call attempt counter, handed to the counting fetch through the request's fetchOptions. */
export interface AttemptTracker {
  attempts: number;
}

export const ATTEMPTS: unique symbol = Symbol("dspex.attempts");

type TrackedInit = RequestInit & { [ATTEMPTS]?: AttemptTracker };

export const DEFAULT_TIMEOUT_MS = 600_000;
export const DEFAULT_AZURE_API_VERSION = "2024-10-21";

/**
 * The platform's fetch. Inside a Next.js server, `globalThis.fetch` is Next's wrapper (a tracing
 * span per request and a cloned body for its data cache), which costs about as much CPU as the
 * HTTP request itself and must never cache an LM call; the original it keeps is used instead.
 */
export function platformFetch(): typeof fetch {
  const f = globalThis.fetch as typeof fetch & { _nextOriginalFetch?: typeof fetch };
  return f._nextOriginalFetch ?? f;
}

let shared: typeof fetch | undefined;

/** The default fetch of provider clients: keep-alive undici requests, the platform's fetch for what they do not carry. */
export function providerFetch(): typeof fetch {
  return (shared ??= keepAliveFetch(platformFetch()));
}

export function countingFetch(base: typeof fetch): typeof fetch {
  return (input, init) => {
    const tracker = (init as TrackedInit | undefined)?.[ATTEMPTS];
    if (tracker !== undefined) tracker.attempts++;
    return base(input, init);
  };
}

export function createSdkClient(options: OpenAILMOptions, profile: ProviderProfile): { client: OpenAI; baseURL: string } {
  const maxRetries = options.maxRetries ?? 2;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new DspexError("OPTION_INVALID", `createOpenAILM: maxRetries is ${maxRetries}; pass a whole number >= 0`);
  }
  if (!Number.isInteger(timeout) || timeout <= 0) {
    throw new DspexError("OPTION_INVALID", `createOpenAILM: timeoutMs is ${timeout}; pass a whole number of milliseconds > 0`);
  }
  const common = {
    maxRetries,
    timeout,
    fetch: countingFetch(options.fetch ?? providerFetch()),
    defaultHeaders: options.headers,
    organization: options.organization ?? null,
    project: options.project ?? null,
    webhookSecret: null,
    logLevel: "warn" as const,
  };
  if (profile.name === "azure") return azureClient(options, common);
  const baseURL = options.baseURL ?? profile.baseURL;
  if (baseURL === undefined) {
    throw new DspexError("OPTION_INVALID", `createOpenAILM: provider "${profile.name}" has no default base URL; pass baseURL (e.g. "http://localhost:8080/v1")`);
  }
  if (profile.needsApiKey && !options.apiKey) throw missingKey(profile.name, options.providerName);
  // Local servers ignore the key, but the SDK refuses to run without one.
  return { client: new OpenAI({ ...common, apiKey: options.apiKey || "not-needed", baseURL }), baseURL };
}

function azureClient(options: OpenAILMOptions, common: Record<string, unknown>): { client: OpenAI; baseURL: string } {
  if (options.endpoint === undefined && options.baseURL === undefined) {
    throw new DspexError("OPTION_INVALID", 'createOpenAILM: provider "azure" needs endpoint (e.g. "https://my-resource.openai.azure.com") or baseURL');
  }
  if (!options.apiKey && options.azureADTokenProvider === undefined) {
    throw new LMError("LM_NOT_CONFIGURED", 'createOpenAILM: provider "azure" needs apiKey or azureADTokenProvider', { provider: "azure" });
  }
  const client = new AzureOpenAI({
    ...common,
    apiVersion: options.apiVersion ?? DEFAULT_AZURE_API_VERSION,
    ...(options.baseURL !== undefined ? { baseURL: options.baseURL } : { endpoint: options.endpoint }),
    ...(options.deployment !== undefined ? { deployment: options.deployment } : {}),
    ...(options.azureADTokenProvider !== undefined ? { azureADTokenProvider: options.azureADTokenProvider } : { apiKey: options.apiKey }),
  });
  return { client, baseURL: client.baseURL };
}

function missingKey(provider: ProviderName, name: string | undefined): LMError {
  return new LMError(
    "LM_NOT_CONFIGURED",
    `createOpenAILM: provider "${provider}" needs an API key; pass createOpenAILM({ provider: "${provider}", apiKey })`,
    { provider: name ?? provider },
  );
}

/**
 * Retries a call whose reply could not be read (a malformed body, LM_BAD_RESPONSE) up to
 * `maxRetries` times with backoff, as the SDK retries transient faults; the caller's attempt
 * tracker keeps counting, so the response (or the final error) reports every retry.
 */
export async function retryUnreadable<T>(maxRetries: number, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await call();
    } catch (error) {
      if (retry >= maxRetries || signal?.aborted || !(error instanceof LMError) || error.code !== "LM_BAD_RESPONSE") throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** retry)));
    }
  }
}
