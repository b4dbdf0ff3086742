// Provider kinds a person can add in Settings, and what each one means for the client: which
// protocol it speaks, the client profile (what its OpenAI-compatible endpoint accepts), its usual
// base URL, how it lists its models, and the capabilities its models have unless told otherwise.
import type { ProviderName } from "../../dspex";
import { PROVIDER_KIND_LABELS, PROVIDER_KINDS, type ModelCapabilities, type ProviderKind } from "../../schemas";

export { PROVIDER_KINDS, type ProviderKind };

interface Behaviour {
  /** "anthropic" speaks the Messages API; everything else chat completions. */
  readonly protocol: "openai" | "anthropic";
  /** The client profile for OpenAI-compatible kinds (request shape, params each one takes). */
  readonly profile: ProviderName;
  /** The seed price table's provider id, so prices resolve for this kind's models. */
  readonly priceProvider: string | undefined;
  readonly capabilities: ModelCapabilities;
}

const OPENAI_CAPS: ModelCapabilities = { structuredOutputs: true, tools: true, streaming: true, reasoning: false, promptCaching: true };
const LOCAL_CAPS: ModelCapabilities = { structuredOutputs: false, tools: true, streaming: true, reasoning: false, promptCaching: false };

export interface KindInfo extends Behaviour {
  readonly label: string;
  /** Shown as the form's placeholder; some kinds need the user's own URL. */
  readonly exampleBaseUrl: string;
}

const BEHAVIOUR: { readonly [K in ProviderKind]: Behaviour } = {
  openai: { protocol: "openai", profile: "openai", priceProvider: "openai", capabilities: OPENAI_CAPS },
  azure: {
    protocol: "openai",
    profile: "azure",
    priceProvider: "openai",
    capabilities: OPENAI_CAPS,
  },
  anthropic: {
    protocol: "anthropic",
    profile: "anthropic",
    priceProvider: "anthropic",
    capabilities: { structuredOutputs: true, tools: true, streaming: true, reasoning: true, promptCaching: true },
  },
  gemini: {
    protocol: "openai",
    profile: "gemini",
    priceProvider: "google",
    capabilities: { ...OPENAI_CAPS, promptCaching: false },
  },
  openrouter: { protocol: "openai", profile: "openrouter", priceProvider: undefined, capabilities: OPENAI_CAPS },
  litellm: { protocol: "openai", profile: "custom", priceProvider: undefined, capabilities: OPENAI_CAPS },
  ollama: { protocol: "openai", profile: "ollama", priceProvider: undefined, capabilities: LOCAL_CAPS },
  vllm: { protocol: "openai", profile: "vllm", priceProvider: undefined, capabilities: { ...LOCAL_CAPS, structuredOutputs: true } },
  lmstudio: { protocol: "openai", profile: "lmstudio", priceProvider: undefined, capabilities: LOCAL_CAPS },
  "openai-compatible": {
    protocol: "openai",
    profile: "custom",
    priceProvider: undefined,
    capabilities: LOCAL_CAPS,
  },
};

export const KINDS = Object.fromEntries(PROVIDER_KINDS.map((k) => [k, { ...BEHAVIOUR[k], ...PROVIDER_KIND_LABELS[k] }])) as { readonly [K in ProviderKind]: KindInfo };

/** Unknown kinds (rows written by an older version) behave as a generic OpenAI-compatible URL. */
export function kindInfo(kind: string): KindInfo {
  return (KINDS as Record<string, KindInfo | undefined>)[kind] ?? KINDS["openai-compatible"];
}
