import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import {
  ApiKeyPageSchema,
  ApiKeyViewSchema,
  CreatedApiKeySchema,
  CSRF_COOKIE,
  CSRF_HEADER,
  PriceLookupSchema,
  PricePageSchema,
  PriceRowSchema,
  ProviderListSchema,
  ProviderTestResultSchema,
  ProviderViewSchema,
  SESSION_COOKIE,
  UserListSchema,
  UserViewSchema,
} from "../../schemas";
import { createSession, createUser } from "../store";
import { createSecretBox } from "../secrets";
import { useTestDatabase } from "../store/testing";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const QA = { context: "DSPEx has a runtime.", question: "What does DSPEx have?" };
const PROVIDER_KEY = "sk-test-0123456789abcdefWXYZ";

describe.each(BACKENDS)("settings API on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let lm: OpenAIServer;
  const sessions: Record<"admin" | "member", { cookie: string; csrf: string; id: string }> = {} as never;
  const headers = (who: "admin" | "member") => {
    const s = sessions[who];
    return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(s.cookie)}; ${CSRF_COOKIE}=${s.csrf}`, [CSRF_HEADER]: s.csrf };
  };
  const get = (who: "admin" | "member", path: string) => callApi(server.url, "GET", path, { headers: headers(who) });
  const post = (who: "admin" | "member", path: string, body: unknown = {}) => callApi(server.url, "POST", path, { body, headers: headers(who) });

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    // Keys are cached for a long time here: the revoke must still take effect at once.
    const api = createServingApi({ ...s.deps, options: { authCacheTtlMs: 600_000 }, secrets: createSecretBox({ key: randomBytes(32), dataDir: "/nonexistent" }) });
    server = await startTestServer(api);
    lm = await startOpenAIServer({ models: ["m-1", "m-2"] });
    for (const [who, role] of [["admin", "admin"], ["member", "maintainer"]] as const) {
      const user = await createUser(t.prisma, { name: who, email: `${who}@example.com`, password: "a long enough password", role });
      const created = await createSession(t.prisma, user.id);
      sessions[who] = { cookie: created.token, csrf: created.csrfToken, id: user.id };
    }
  });
  afterAll(async () => {
    await server?.close();
    await lm?.close();
  });

  it("creates a key shown once, serves with it, and refuses it at once after a revoke", async () => {
    const created = bodyOf(await post("member", "/api/v1/api-keys", { name: "svc", rateLimitPerMinute: 100 }), CreatedApiKeySchema, 201);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    expect(created.apiKey).toMatchObject({ name: "svc", rateLimitPerMinute: 100, userId: sessions.member.id, revokedAt: null });
    const predict = () => callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key: created.key, body: { input: QA } });
    expect((await predict()).status).toBe(200);
    const list = bodyOf(await get("member", "/api/v1/api-keys"), ApiKeyPageSchema);
    expect(list.items.map((k) => k.id)).toEqual([created.apiKey.id]);
    expect(JSON.stringify(list)).not.toContain(created.key);
    const revoked = bodyOf(await post("member", `/api/v1/api-keys/${created.apiKey.id}/revoke`), ApiKeyViewSchema);
    expect(revoked.revokedAt).not.toBeNull();
    expect(errorOf(await predict(), 401, "UNAUTHORIZED").message).toMatch(/revoked/);
    expect(bodyOf(await get("member", "/api/v1/api-keys"), ApiKeyPageSchema).total).toBe(0);
    expect(bodyOf(await get("member", "/api/v1/api-keys?includeRevoked=true"), ApiKeyPageSchema).total).toBe(1);
  });

  it("keeps members to their own keys; administrators see and revoke all", async () => {
    const adminKey = bodyOf(await post("admin", "/api/v1/api-keys", { name: "admin's" }), CreatedApiKeySchema, 201);
    errorOf(await post("member", `/api/v1/api-keys/${adminKey.apiKey.id}/revoke`), 403, "FORBIDDEN");
    errorOf(await post("member", "/api/v1/api-keys", { name: "x", userId: sessions.admin.id }), 403, "FORBIDDEN");
    errorOf(await get("member", `/api/v1/api-keys?userId=${sessions.admin.id}`), 403, "FORBIDDEN");
    const memberKey = bodyOf(await post("admin", "/api/v1/api-keys", { name: "for member", userId: sessions.member.id }), CreatedApiKeySchema, 201);
    const all = bodyOf(await get("admin", "/api/v1/api-keys?includeRevoked=true"), ApiKeyPageSchema);
    expect(all.items.map((k) => k.name)).toEqual(expect.arrayContaining(["svc", "admin's", "for member"]));
    bodyOf(await post("admin", `/api/v1/api-keys/${memberKey.apiKey.id}/revoke`), ApiKeyViewSchema);
    const fields = errorOf(await post("admin", "/api/v1/api-keys", { name: "", rateLimitPerMinute: 0 }), 400, "INVALID_REQUEST").fields?.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(["name", "rateLimitPerMinute"]));
  });

  it("lets administrators add, disable and enable users; members get 403", async () => {
    const short = errorOf(await post("admin", "/api/v1/users", { name: "Grace", email: "grace@example.com", password: "short" }), 400, "INVALID_REQUEST");
    expect(short.fields).toEqual([{ field: "password", message: "must be at least 10 characters" }]);
    const grace = bodyOf(await post("admin", "/api/v1/users", { name: "Grace", email: "grace@example.com", password: "a long passphrase" }), UserViewSchema, 201);
    expect(grace).toMatchObject({ role: "viewer", disabledAt: null });
    errorOf(await post("admin", "/api/v1/users", { name: "Grace", email: "grace@example.com", password: "a long passphrase" }), 409, "CONFLICT");
    expect(bodyOf(await post("admin", `/api/v1/users/${grace.id}/disable`), UserViewSchema).disabledAt).not.toBeNull();
    expect(bodyOf(await post("admin", `/api/v1/users/${grace.id}/enable`), UserViewSchema).disabledAt).toBeNull();
    errorOf(await post("admin", `/api/v1/users/${sessions.admin.id}/disable`), 409, "CONFLICT");
    expect(bodyOf(await get("admin", "/api/v1/users"), UserListSchema).items.map((u) => u.email)).toContain("grace@example.com");
    errorOf(await get("member", "/api/v1/users"), 403, "FORBIDDEN");
    errorOf(await post("member", "/api/v1/users", { name: "M", email: "m@example.com", password: "a long passphrase" }), 403, "FORBIDDEN");
  });

  it("stores provider keys encrypted, never answers them, and tests the connection", async () => {
    const created = bodyOf(await post("admin", "/api/v1/providers", { name: "local", baseUrl: lm.baseURL, apiKey: PROVIDER_KEY, defaultModel: "m-1" }), ProviderViewSchema, 201);
    expect(created).toMatchObject({ keyStatus: "set", keyLast4: "WXYZ", kind: "openai-compatible" });
    const stored = await t.prisma.provider.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.encryptedKey).not.toContain(PROVIDER_KEY);
    expect(stored.encryptedKey).toMatch(/^v1:/);
    const listed = await get("admin", "/api/v1/providers");
    expect(listed.text).not.toContain(PROVIDER_KEY);
    expect(bodyOf(listed, ProviderListSchema).items).toHaveLength(1);

    const result = bodyOf(await post("admin", `/api/v1/providers/${created.id}/test`), ProviderTestResultSchema);
    expect(result).toMatchObject({ ok: true, models: ["m-1", "m-2"], modelCount: 2, error: null });
    expect(lm.requestCount).toBe(0); // GET /models is answered without being recorded as a chat request
    // The listed models are kept (with the kind's capabilities); typed ones survive a refresh.
    const refreshed = bodyOf(await get("admin", "/api/v1/providers"), ProviderListSchema).items[0]!;
    expect(refreshed.models.map((m) => [m.id, m.source])).toEqual([
      ["m-1", "listed"],
      ["m-2", "listed"],
    ]);
    expect(refreshed.modelsFetchedAt).not.toBeNull();
    const typed = bodyOf(
      await post("admin", `/api/v1/providers/${created.id}`, { models: [{ id: "m-1", source: "listed" }, { id: "my-deployment", source: "typed" }], headers: { "X-Org": "secret-org-header" } }),
      ProviderViewSchema,
    );
    expect(typed).toMatchObject({ headerNames: ["X-Org"] });
    expect(JSON.stringify(typed)).not.toContain("secret-org-header");
    bodyOf(await post("admin", `/api/v1/providers/${created.id}/test`), ProviderTestResultSchema);
    const again = bodyOf(await get("admin", "/api/v1/providers"), ProviderListSchema).items[0]!;
    expect(again.models.map((m) => m.id)).toEqual(["m-1", "m-2", "my-deployment"]);
    errorOf(await post("admin", `/api/v1/providers/${created.id}`, { headers: { "bad header": "x" } }), 400, "INVALID_REQUEST");

    const moved = bodyOf(await post("admin", `/api/v1/providers/${created.id}`, { baseUrl: "http://127.0.0.1:1/v1", apiKey: null }), ProviderViewSchema);
    expect(moved).toMatchObject({ keyStatus: "unset", keyLast4: null });
    const failed = bodyOf(await post("admin", `/api/v1/providers/${created.id}/test`), ProviderTestResultSchema);
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/Connection error|ECONNREFUSED/);

    errorOf(await post("admin", "/api/v1/providers", { name: "local", baseUrl: "ftp://x" }), 400, "INVALID_REQUEST");
    errorOf(await post("admin", "/api/v1/providers", { name: "local", baseUrl: "http://x/v1" }), 409, "CONFLICT");
    errorOf(await get("member", "/api/v1/providers"), 403, "FORBIDDEN");
    bodyOf(await post("admin", `/api/v1/providers/${created.id}/delete`), ProviderViewSchema);
    errorOf(await post("admin", `/api/v1/providers/${created.id}/test`), 404, "NOT_FOUND");
  });

  it("lists the price table, stores overrides and looks up which price applies", async () => {
    const builtin = bodyOf(await get("member", "/api/v1/prices?origin=builtin"), PricePageSchema);
    expect(builtin.items.map((r) => r.pattern)).toContain("^dspex-demo");
    expect(builtin.overridesApplied).toBe(false);
    const bad = errorOf(await post("admin", "/api/v1/prices", { pattern: "(", input: "x", output: "1" }), 400, "INVALID_REQUEST");
    expect(bad.fields?.map((f) => f.field).sort()).toEqual(["input", "pattern"]);
    errorOf(await post("member", "/api/v1/prices", { pattern: "^m", input: "1", output: "2" }), 403, "FORBIDDEN");
    const row = bodyOf(await post("admin", "/api/v1/prices", { pattern: "^my-model", provider: "", input: "1.5", output: "6", cachedInput: "" }), PriceRowSchema, 201);
    expect(row).toMatchObject({ origin: "override", input: "1.5", output: "6", cachedInput: null });
    const overrides = bodyOf(await get("member", "/api/v1/prices?origin=override&search=MY-MODEL"), PricePageSchema);
    expect(overrides.items.map((r) => r.id)).toEqual([row.id]);
    const lookup = bodyOf(await get("member", "/api/v1/prices/lookup?model=my-model-7b"), PriceLookupSchema);
    expect(lookup.override?.id).toBe(row.id);
    const demo = bodyOf(await get("member", "/api/v1/prices/lookup?model=dspex-demo&provider=demo"), PriceLookupSchema);
    expect(demo.charged).toMatchObject({ origin: "builtin", pattern: "^dspex-demo" });
    bodyOf(await post("admin", `/api/v1/prices/${row.id}/delete`), PriceRowSchema);
    expect(bodyOf(await get("member", "/api/v1/prices?origin=override"), PricePageSchema).total).toBe(0);
  });
});
