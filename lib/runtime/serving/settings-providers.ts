// Providers: every endpoint runs, playground calls, optimizations and agents can use, picked by the
// model they name ("provider/model"). The API key and extra headers are sealed at rest (see
// ../secrets) and never leave the server: views carry only the key's status and last 4 characters
// and the headers' names. "Test connection" lists the provider's models and keeps them.
import { routes } from "../../api/routes";
import type { ProviderModel, ProviderTestResult, ProviderView } from "../../schemas";
import { listProviderModels, modelsOf, type ProviderConnection } from "../providers";
import type { SecretBox } from "../secrets";
import type { ProviderRecord, Store, StoredProviderModel } from "../store";
import { ServingError } from "./errors";
import { implement, type Route } from "./router";

/** Keys shorter than this show no characters at all. */
const LAST4_MIN_LENGTH = 12;

export interface ProviderRouteDeps {
  readonly store: Pick<Store, "listProviders" | "getProvider" | "createProvider" | "updateProvider" | "deleteProvider">;
  readonly secrets?: SecretBox;
  /** The environment's provider (DSPEX_LM_BASE_URL), listed read-only. */
  readonly bootstrap?: () => ProviderConnection | undefined;
  /** Makes the running server use the providers as stored now (after any change). */
  readonly onProvidersChanged?: () => Promise<void>;
}

async function openOrUndefined(secrets: SecretBox | undefined, sealed: string): Promise<string | undefined> {
  try {
    return secrets ? await secrets.open(sealed) : undefined;
  } catch {
    return undefined;
  }
}

async function toView(row: ProviderRecord, secrets: SecretBox | undefined): Promise<ProviderView> {
  let keyStatus: ProviderView["keyStatus"] = "unset";
  let keyLast4: string | null = null;
  if (row.encryptedKey !== null) {
    const key = await openOrUndefined(secrets, row.encryptedKey);
    keyStatus = key === undefined ? "unreadable" : "set";
    if (key !== undefined && key.length >= LAST4_MIN_LENGTH) keyLast4 = key.slice(-4);
  }
  const headers = row.encryptedHeaders === null ? undefined : await openOrUndefined(secrets, row.encryptedHeaders);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    defaultModel: row.defaultModel,
    keyStatus,
    keyLast4,
    headerNames: headers ? Object.keys(JSON.parse(headers) as Record<string, string>) : [],
    models: modelsOf(row.kind, row.models),
    modelsFetchedAt: row.modelsFetchedAt?.toISOString() ?? null,
    bootstrap: false,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function bootstrapView(p: ProviderConnection): ProviderView {
  return {
    id: `bootstrap:${p.name}`,
    name: p.name,
    kind: p.kind,
    baseUrl: p.baseUrl,
    defaultModel: p.defaultModel ?? null,
    keyStatus: p.apiKey ? "set" : "unset",
    keyLast4: null,
    headerNames: [],
    models: [...p.models],
    modelsFetchedAt: null,
    bootstrap: true,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
  };
}

function requireSecrets(secrets: SecretBox | undefined): SecretBox {
  if (!secrets) throw new ServingError("NOT_READY", "this server has no secret store, so provider keys cannot be stored; start it through server.ts (which sets one up)");
  return secrets;
}

const storedModels = (models: readonly ProviderModel[]): StoredProviderModel[] =>
  models.map((m) => ({ id: m.id, source: m.source, ...(m.capabilities && { capabilities: m.capabilities as Record<string, boolean> }) }));

/** The listed models replace the previously listed ones; models typed by hand stay. */
function mergeListed(stored: unknown, kind: string, listed: readonly string[]): StoredProviderModel[] {
  const typed = modelsOf(kind, stored).filter((m) => m.source === "typed" && !listed.includes(m.id));
  const raw = new Map((Array.isArray(stored) ? (stored as StoredProviderModel[]) : []).map((m) => [m.id, m]));
  return [...listed.map((id) => ({ id, source: "listed" as const, ...(raw.get(id)?.capabilities && { capabilities: raw.get(id)!.capabilities }) })), ...typed.map((m) => raw.get(m.id) ?? { id: m.id, source: "typed" as const })];
}

export function providerRoutes(deps: ProviderRouteDeps): Route[] {
  const { store, secrets } = deps;
  const changed = async () => {
    await deps.onProvidersChanged?.();
  };

  const list = implement(routes.listProviders, async () => {
    const rows = await store.listProviders();
    const env = deps.bootstrap?.();
    const stored = await Promise.all(rows.map((r) => toView(r, secrets)));
    return { status: 200, body: { items: env && !rows.some((r) => r.name === env.name) ? [bootstrapView(env), ...stored] : stored } };
  });

  const create = implement(routes.createProvider, async ({ body: q }) => {
    const encryptedKey = q.apiKey !== undefined ? await requireSecrets(secrets).seal(q.apiKey) : null;
    const encryptedHeaders = q.headers !== undefined && Object.keys(q.headers).length > 0 ? await requireSecrets(secrets).seal(JSON.stringify(q.headers)) : null;
    const row = await store.createProvider({
      name: q.name,
      kind: q.kind,
      baseUrl: q.baseUrl,
      encryptedKey,
      encryptedHeaders,
      defaultModel: q.defaultModel ?? null,
      ...(q.models && { models: storedModels(q.models) }),
    });
    await changed();
    return { status: 201, body: await toView(row, secrets) };
  });

  const update = implement(routes.updateProvider, async ({ params, body: q }) => {
    await store.getProvider(params.id);
    const fields = {
      ...(q.name !== undefined && { name: q.name }),
      ...(q.kind !== undefined && { kind: q.kind }),
      ...(q.baseUrl !== undefined && { baseUrl: q.baseUrl }),
      ...(q.defaultModel !== undefined && { defaultModel: q.defaultModel }),
      ...(q.apiKey !== undefined && { encryptedKey: q.apiKey === null ? null : await requireSecrets(secrets).seal(q.apiKey) }),
      ...(q.headers !== undefined && { encryptedHeaders: q.headers === null || Object.keys(q.headers).length === 0 ? null : await requireSecrets(secrets).seal(JSON.stringify(q.headers)) }),
      ...(q.models !== undefined && { models: storedModels(q.models) }),
    };
    const row = await store.updateProvider(params.id, fields);
    await changed();
    return { status: 200, body: await toView(row, secrets) };
  });

  const remove = implement(routes.deleteProvider, async ({ params }) => {
    const row = await store.deleteProvider(params.id);
    await changed();
    return { status: 200, body: await toView(row, secrets) };
  });

  const test = implement(routes.testProvider, async ({ params }) => {
    const row = await store.getProvider(params.id);
    let apiKey: string | undefined;
    let headers: Record<string, string> | undefined;
    try {
      if (row.encryptedKey !== null) apiKey = await requireSecrets(secrets).open(row.encryptedKey);
      if (row.encryptedHeaders !== null) headers = JSON.parse(await requireSecrets(secrets).open(row.encryptedHeaders)) as Record<string, string>;
    } catch (err) {
      const body: ProviderTestResult = { ok: false, latencyMs: 0, request: `GET ${row.baseUrl}/models`, models: [], modelCount: 0, status: null, error: err instanceof Error ? err.message : String(err) };
      return { status: 200, body };
    }
    const { allModels, ...result } = await listProviderModels({ kind: row.kind, baseUrl: row.baseUrl, ...(apiKey !== undefined && { apiKey }), ...(headers && { headers }) });
    if (result.ok) {
      await store.updateProvider(row.id, { models: mergeListed(row.models, row.kind, allModels), modelsFetchedAt: new Date() });
      await changed();
    }
    // Some servers echo the credentials in an error; the key never goes back to the browser.
    const body = apiKey && result.error?.includes(apiKey) ? { ...result, error: result.error.split(apiKey).join("[key]") } : result;
    return { status: 200, body };
  });

  return [list, create, update, remove, test];
}
