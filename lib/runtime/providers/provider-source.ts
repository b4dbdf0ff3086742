// Providers as the router uses them: every Settings row with its key and headers opened, and the
// environment's endpoint (DSPEX_LM_BASE_URL) as the bootstrap provider "env".
import { z } from "zod";
import type { Config } from "../../config";
import { ModelCapabilitiesSchema, ProviderHeadersSchema, type ModelCapabilities } from "../../schemas";
import type { SecretBox } from "../secrets";
import type { ProviderRecord } from "../store";
import type { ProviderConnection, ProviderModelInfo } from "./connection";
import { kindInfo } from "./kinds";

export const BOOTSTRAP_PROVIDER = "env";

const StoredModelsSchema = z.array(z.object({ id: z.string(), capabilities: ModelCapabilitiesSchema.partial().optional(), source: z.enum(["listed", "typed"]).catch("typed") }));

/** The stored models with the kind's capabilities filled in where the row says nothing. */
export function modelsOf(kind: string, stored: unknown): ProviderModelInfo[] {
  const parsed = StoredModelsSchema.safeParse(stored);
  if (!parsed.success) return [];
  const defaults: ModelCapabilities = kindInfo(kind).capabilities;
  return parsed.data.map((m) => ({ id: m.id, source: m.source, capabilities: { ...defaults, ...m.capabilities } }));
}

/** The environment's provider, when DSPEX_LM_BASE_URL is set. */
export function bootstrapProvider(config: Pick<Config, "lm">): ProviderConnection | undefined {
  const { baseUrl, apiKey, model } = config.lm;
  if (!baseUrl) return undefined;
  return {
    name: BOOTSTRAP_PROVIDER,
    kind: "openai-compatible",
    baseUrl,
    ...(apiKey && { apiKey }),
    ...(model && { defaultModel: model }),
    // No list: the environment's endpoint serves any model it is asked for, as it always has.
    models: [],
    bootstrap: true,
  };
}

async function openSealed(secrets: SecretBox | undefined, sealed: string | null): Promise<{ value?: string; error?: string }> {
  if (sealed === null) return {};
  if (!secrets) return { error: "this process has no secret store" };
  try {
    return { value: await secrets.open(sealed) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** A Settings row opened for use (an unreadable key becomes keyError, never a thrown error). */
export async function openProvider(row: ProviderRecord, secrets: SecretBox | undefined): Promise<ProviderConnection> {
  const key = await openSealed(secrets, row.encryptedKey);
  const sealedHeaders = await openSealed(secrets, row.encryptedHeaders);
  let headers: Record<string, string> | undefined;
  if (sealedHeaders.value !== undefined) {
    const parsed = ProviderHeadersSchema.safeParse(JSON.parse(sealedHeaders.value));
    if (parsed.success) headers = parsed.data;
  }
  const keyError = key.error ?? sealedHeaders.error;
  return {
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    ...(key.value !== undefined && { apiKey: key.value }),
    ...(headers && { headers }),
    ...(row.defaultModel && { defaultModel: row.defaultModel }),
    models: modelsOf(row.kind, row.models),
    bootstrap: false,
    ...(keyError !== undefined && { keyError }),
  };
}

export async function loadProviderConnections(rows: readonly ProviderRecord[], config: Pick<Config, "lm">, secrets: SecretBox | undefined): Promise<ProviderConnection[]> {
  const opened = await Promise.all(rows.map((row) => openProvider(row, secrets)));
  const env = bootstrapProvider(config);
  // A Settings provider named like the bootstrap one wins (the person's choice over the environment).
  return env && !opened.some((p) => p.name === env.name) ? [env, ...opened] : opened;
}
