// Providers: OpenAI-compatible endpoints kept for testing and later selection. The API key is
// sealed at rest (see ../secrets) and never leaves the server: views carry only its status and
// last 4 characters. "Test connection" calls GET {baseUrl}/models with the official SDK.
import OpenAI from "openai";
import type { z } from "zod";
import type { Prisma, PrismaClient } from "../../db";
import {
  CreateProviderBodySchema,
  ProviderListSchema,
  ProviderTestResultSchema,
  ProviderViewSchema,
  SettingsIdParamsSchema,
  UpdateProviderBodySchema,
  type CreateProviderBody,
  type ProviderTestResult,
  type ProviderView,
} from "../../schemas";
import type { SecretBox } from "../secrets";
import { ConflictError, NotFoundError } from "../store";
import { isUniqueViolation } from "../store/prisma-errors";
import { ServingError } from "./errors";
import { defineRoute, type Route } from "./router";

const TEST_TIMEOUT_MS = 10_000;
const MODELS_SHOWN = 20;
/** Keys shorter than this show no characters at all. */
const LAST4_MIN_LENGTH = 12;

type ProviderRow = Prisma.ProviderGetPayload<object>;

async function toView(row: ProviderRow, secrets: SecretBox | undefined): Promise<ProviderView> {
  let keyStatus: ProviderView["keyStatus"] = "unset";
  let keyLast4: string | null = null;
  if (row.encryptedKey !== null) {
    try {
      const key = secrets ? await secrets.open(row.encryptedKey) : undefined;
      keyStatus = key === undefined ? "unreadable" : "set";
      if (key !== undefined && key.length >= LAST4_MIN_LENGTH) keyLast4 = key.slice(-4);
    } catch {
      keyStatus = "unreadable";
    }
  }
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.baseUrl,
    defaultModel: row.defaultModel,
    keyStatus,
    keyLast4,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function requireSecrets(secrets: SecretBox | undefined): SecretBox {
  if (!secrets) throw new ServingError("NOT_READY", "this server has no secret store, so provider keys cannot be stored; start it through server.ts (which sets one up)");
  return secrets;
}

const nameTaken = (name: string) => new ConflictError(`a provider named "${name}" exists; choose another name`, "name");

async function findRow(prisma: PrismaClient, id: string): Promise<ProviderRow> {
  const row = await prisma.provider.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("provider", id, "id");
  return row;
}

/** Calls GET {baseUrl}/models; the result (or the exact error) is data, never a thrown error. */
export async function testProviderConnection(target: { readonly baseUrl: string; readonly apiKey?: string }, timeoutMs = TEST_TIMEOUT_MS): Promise<ProviderTestResult> {
  const base = target.baseUrl.replace(/\/+$/, "");
  const request = `GET ${base}/models`;
  const client = new OpenAI({ baseURL: base, apiKey: target.apiKey ?? "none", maxRetries: 0, timeout: timeoutMs });
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const page = await client.models.list();
    const ids = page.data.map((m) => m.id);
    return { ok: true, latencyMs: latency(), request, models: ids.slice(0, MODELS_SHOWN), modelCount: ids.length, status: null, error: null };
  } catch (err) {
    const status = err instanceof OpenAI.APIError && typeof err.status === "number" ? err.status : null;
    return { ok: false, latencyMs: latency(), request, models: [], modelCount: 0, status, error: describeError(err) };
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const causes: string[] = [];
  let cause: unknown = err.cause;
  // Connection failures hide the reason (ECONNREFUSED, a DNS error) in the cause chain.
  for (let depth = 0; cause instanceof Error && depth < 3; depth++) {
    const code = (cause as NodeJS.ErrnoException).code;
    causes.push(code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message);
    cause = cause.cause;
  }
  return [err.message, ...causes.filter((c) => c && c !== err.message)].join(" — ");
}

export function providerRoutes(prisma: PrismaClient, secrets: SecretBox | undefined): Route[] {
  const common = { tag: "settings", auth: "admin" } as const;
  const byId = { ...common, params: SettingsIdParamsSchema } as const;

  const list = defineRoute(
    {
      ...common,
      method: "GET",
      path: "/api/v1/providers",
      operationId: "listProviders",
      summary: "List providers",
      description: "Never the API key: only whether one is set and, for long keys, its last 4 characters.",
      success: { status: 200, name: "ProviderList", schema: ProviderListSchema, description: "Every provider, by name." },
      errors: [],
    },
    async () => {
      const rows = await prisma.provider.findMany({ orderBy: { name: "asc" } });
      return { status: 200, body: { items: await Promise.all(rows.map((r) => toView(r, secrets))) } };
    },
  );

  const create = defineRoute<undefined, z.output<typeof CreateProviderBodySchema>>(
    {
      ...common,
      method: "POST",
      path: "/api/v1/providers",
      operationId: "createProvider",
      summary: "Add a provider",
      description: "An OpenAI-compatible endpoint; the API key is encrypted at rest (AES-256-GCM) and never answered back.",
      body: { name: "CreateProviderBody", schema: CreateProviderBodySchema, example: { name: "openai", kind: "openai", baseUrl: "https://api.openai.com/v1", apiKey: "sk-...", defaultModel: "gpt-4o-mini" } satisfies CreateProviderBody, limit: "single" },
      success: { status: 201, name: "ProviderView", schema: ProviderViewSchema, description: "The provider (without its key)." },
      errors: ["CONFLICT", "NOT_READY"],
    },
    async ({ body: q }) => {
      const encryptedKey = q.apiKey !== undefined ? await requireSecrets(secrets).seal(q.apiKey) : null;
      try {
        const row = await prisma.provider.create({ data: { name: q.name, kind: q.kind, baseUrl: q.baseUrl, encryptedKey, defaultModel: q.defaultModel ?? null } });
        return { status: 201, body: await toView(row, secrets) };
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(q.name);
        throw err;
      }
    },
  );

  const update = defineRoute<undefined, z.output<typeof UpdateProviderBodySchema>>(
    {
      ...byId,
      method: "POST",
      path: "/api/v1/providers/{id}",
      operationId: "updateProvider",
      summary: "Change a provider",
      description: "Fields left out stay; apiKey: a new key replaces the stored one, null removes it.",
      body: { name: "UpdateProviderBody", schema: UpdateProviderBodySchema, example: { baseUrl: "http://127.0.0.1:11434/v1", apiKey: null }, limit: "single" },
      success: { status: 200, name: "ProviderView", schema: ProviderViewSchema, description: "The provider after the change." },
      errors: ["NOT_FOUND", "CONFLICT", "NOT_READY"],
    },
    async ({ params, body: q }) => {
      await findRow(prisma, params.id!);
      const data: Prisma.ProviderUpdateInput = {
        ...(q.name !== undefined && { name: q.name }),
        ...(q.kind !== undefined && { kind: q.kind }),
        ...(q.baseUrl !== undefined && { baseUrl: q.baseUrl }),
        ...(q.defaultModel !== undefined && { defaultModel: q.defaultModel }),
        ...(q.apiKey !== undefined && { encryptedKey: q.apiKey === null ? null : await requireSecrets(secrets).seal(q.apiKey) }),
      };
      try {
        return { status: 200, body: await toView(await prisma.provider.update({ where: { id: params.id! }, data }), secrets) };
      } catch (err) {
        if (isUniqueViolation(err)) throw nameTaken(q.name ?? "");
        throw err;
      }
    },
  );

  const remove = defineRoute(
    {
      ...byId,
      method: "POST",
      path: "/api/v1/providers/{id}/delete",
      operationId: "deleteProvider",
      summary: "Delete a provider",
      description: "Deletes the provider and its stored key.",
      success: { status: 200, name: "ProviderView", schema: ProviderViewSchema, description: "The provider as it was." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const row = await findRow(prisma, params.id!);
      await prisma.provider.deleteMany({ where: { id: row.id } });
      return { status: 200, body: await toView(row, secrets) };
    },
  );

  const test = defineRoute(
    {
      ...byId,
      method: "POST",
      path: "/api/v1/providers/{id}/test",
      operationId: "testProvider",
      summary: "Test a provider's connection",
      description: `Calls GET {baseUrl}/models from the server with the stored key (timeout ${TEST_TIMEOUT_MS / 1000} s) and answers success with the latency and models, or the exact error. The key is never part of the answer.`,
      success: { status: 200, name: "ProviderTestResult", schema: ProviderTestResultSchema, description: "What the endpoint answered." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const row = await findRow(prisma, params.id!);
      let apiKey: string | undefined;
      if (row.encryptedKey !== null) {
        try {
          apiKey = await requireSecrets(secrets).open(row.encryptedKey);
        } catch (err) {
          const body: ProviderTestResult = { ok: false, latencyMs: 0, request: `GET ${row.baseUrl}/models`, models: [], modelCount: 0, status: null, error: err instanceof Error ? err.message : String(err) };
          return { status: 200, body };
        }
      }
      const result = await testProviderConnection({ baseUrl: row.baseUrl, ...(apiKey !== undefined && { apiKey }) });
      // Some servers echo the credentials in an error; the key never goes back to the browser.
      const body = apiKey && result.error?.includes(apiKey) ? { ...result, error: result.error.split(apiKey).join("[key]") } : result;
      return { status: 200, body };
    },
  );

  return [list, create, update, remove, test];
}
