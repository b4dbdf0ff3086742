// Which provider serves a model reference: the framework's rules (resolveModelReference:
// "provider/model" names the provider, a bare model goes to the provider listing it, else one whose
// family or "any name" takes it) plus the runtime's: "demo/..." and "dspex-demo*" go to the offline
// demo model, and a call naming no model to the environment's provider or a default model.
import { LMError, resolveModelReference, type ProviderConfig } from "../../dspex";
import { providerConfigOf, type ProviderConnection } from "./connection";

export const DEMO_PROVIDER = "demo";

export type Resolution = { readonly provider: ProviderConnection | typeof DEMO_PROVIDER; readonly model: string | undefined };

export interface Directory {
  readonly providers: readonly ProviderConnection[];
  /** The demo model answers requests naming no model (nothing at all is configured). */
  readonly demoIsDefault: boolean;
}

function available(dir: Directory): string {
  if (dir.providers.length === 0) return "no provider is configured (add one in Settings → Providers or set DSPEX_LM_BASE_URL)";
  return `providers: ${dir.providers.map((p) => `"${p.name}"${p.models.length ? ` (${p.models.slice(0, 5).map((m) => m.id).join(", ")}${p.models.length > 5 ? ", …" : ""})` : ""}`).join(", ")}`;
}

const configs = new WeakMap<Directory, ProviderConfig[]>();
function configsOf(dir: Directory): ProviderConfig[] {
  let list = configs.get(dir);
  if (!list) configs.set(dir, (list = dir.providers.map(providerConfigOf)));
  return list;
}

/** Who answers a call that names no model: the environment's provider, else one with a default model, else the demo model when nothing is configured. */
export function defaultProvider(dir: Directory): ProviderConnection | typeof DEMO_PROVIDER | undefined {
  return dir.providers.find((p) => p.bootstrap) ?? dir.providers.find((p) => p.defaultModel) ?? (dir.demoIsDefault ? DEMO_PROVIDER : undefined);
}

/** Answers where a request's model goes; throws LM_NOT_CONFIGURED naming the model and the providers. */
export function resolveModel(dir: Directory, reference: string | undefined): Resolution {
  const ref = reference?.trim();
  if (ref === undefined || ref === "") {
    const provider = defaultProvider(dir);
    if (provider) return { provider, model: undefined };
    throw new LMError("LM_NOT_CONFIGURED", `the call names no model and no provider has a default model; name one as "provider/model" (${available(dir)})`, { provider: "router" });
  }
  if (ref.startsWith(`${DEMO_PROVIDER}/`) && !dir.providers.some((p) => p.name === DEMO_PROVIDER)) return { provider: DEMO_PROVIDER, model: ref.slice(DEMO_PROVIDER.length + 1) };
  if (ref.startsWith("dspex-demo")) return { provider: DEMO_PROVIDER, model: ref };
  const resolved = resolveModelReference(configsOf(dir), ref);
  return { provider: dir.providers.find((p) => p.name === resolved.provider.name)!, model: resolved.model };
}
