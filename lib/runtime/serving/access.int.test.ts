// Least privilege: API keys do what their scopes say (predict by default) on the programs they
// name; people do what their role allows; promoting can be kept to people and records who did it.
// Every refusal is a 403 naming the scope.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE, type ApiScope, type UserRole } from "../../schemas";
import { createApiKey, createSession, createUser } from "../store";
import { useTestDatabase } from "../store/testing";
import { createServingApi } from "./api";
import { callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const [pglite] = BACKENDS;
const QA = { context: "DSPEX is written in TypeScript.", question: "What is DSPEx written in?" };

describe("scopes and roles", () => {
  const t = useTestDatabase(pglite!.fresh);
  let server: TestServer;
  let protectedServer: TestServer;
  const keys = {} as Record<"plain" | "reader" | "all" | "qaOnly", string>;
  const people = {} as Record<UserRole, Record<string, string>>;
  const asKey = (key: string, method: string, path: string, body?: unknown, url = server.url) => callApi(url, method, path, { key, ...(body !== undefined && { body }) });
  const asPerson = (role: UserRole, method: string, path: string, body?: unknown) => callApi(server.url, method, path, { headers: people[role], ...(body !== undefined && { body }) });
  const scopeOf = async (reply: Promise<Awaited<ReturnType<typeof callApi>>>) => errorOf(await reply, 403, "FORBIDDEN").fields?.[0];

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    protectedServer = await startTestServer(createServingApi({ ...s.deps, options: { protectProduction: true } }));
    const make = async (name: string, scopes?: ApiScope[], programs?: string[]) => (await createApiKey(t.prisma, { name, ...(scopes && { scopes }), ...(programs && { programs }) })).key;
    keys.plain = await make("plain");
    keys.reader = await make("reader", ["read"]);
    keys.all = await make("all", ["predict", "read", "optimize", "manage"]);
    keys.qaOnly = await make("qa only", ["predict", "read"], ["qa"]);
    for (const role of ["admin", "maintainer", "viewer"] as const) {
      const user = await createUser(t.prisma, { name: `${role} person`, email: `${role}@example.com`, password: "a long enough password", role });
      const session = await createSession(t.prisma, user.id);
      people[role] = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.token)}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken };
    }
  });
  afterAll(async () => {
    await server?.close();
    await protectedServer?.close();
  });

  it("a new key predicts and does nothing else", async () => {
    expect((await asKey(keys.plain, "POST", "/api/v1/programs/qa/predict", { input: QA })).status).toBe(200);
    expect(await scopeOf(asKey(keys.plain, "GET", "/api/v1/runs"))).toEqual({ field: "scope", message: "needs read" });
    expect(await scopeOf(asKey(keys.plain, "POST", "/api/v1/optimizations", { programName: "qa" }))).toEqual({ field: "scope", message: "needs optimize" });
    expect(await scopeOf(asKey(keys.plain, "POST", "/api/v1/programs/qa/rollback"))).toEqual({ field: "scope", message: "needs manage" });
  });

  it("a read key reads but cannot spend money or change anything", async () => {
    expect((await asKey(keys.reader, "GET", "/api/v1/runs")).status).toBe(200);
    expect(await scopeOf(asKey(keys.reader, "POST", "/api/v1/programs/qa/predict", { input: QA }))).toEqual({ field: "scope", message: "needs predict" });
    expect(await scopeOf(asKey(keys.reader, "POST", "/api/v1/datasets/import", { name: "d", format: "jsonl", content: "{}" }))).toEqual({ field: "scope", message: "needs manage" });
  });

  it("a key limited to some programs may not use the others", async () => {
    expect((await asKey(keys.qaOnly, "POST", "/api/v1/programs/qa/predict", { input: QA })).status).toBe(200);
    const other = (await t.prisma.program.findFirstOrThrow({ where: { name: { not: "qa" } } })).name;
    expect(await scopeOf(asKey(keys.qaOnly, "POST", `/api/v1/programs/${other}/predict`, { input: QA }))).toEqual({ field: "name", message: "is not one of the key's programs" });
  });

  it("a viewer reads; maintainers and administrators change programs", async () => {
    expect((await asPerson("viewer", "GET", "/api/v1/programs")).status).toBe(200);
    expect(await scopeOf(asPerson("viewer", "POST", "/api/v1/programs/qa/predict", { input: QA }))).toEqual({ field: "scope", message: "needs predict" });
    expect(await scopeOf(asPerson("viewer", "POST", "/api/v1/programs/qa/rollback"))).toEqual({ field: "scope", message: "needs manage" });
    expect((await asPerson("maintainer", "POST", "/api/v1/programs/qa/predict", { input: QA })).status).toBe(200);
  });

  it("records who promoted, and with protected production refuses API keys but not maintainers", async () => {
    const program = await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } });
    const path = `/api/v1/programs/qa/versions/${program.activeVersionId}/promote`;
    const byKey = await asKey(keys.all, "POST", path);
    expect(byKey.status).toBe(200);
    expect(byKey.json).toMatchObject({ activatedBy: expect.stringContaining('API key "all"') });
    expect(await scopeOf(asKey(keys.all, "POST", path, undefined, protectedServer.url))).toEqual({ field: "scope", message: "needs a maintainer" });
    const byPerson = await callApi(protectedServer.url, "POST", path, { headers: people.maintainer });
    expect(byPerson.status).toBe(200);
    expect((await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } })).activatedBy).toBe("maintainer person <maintainer@example.com>");
  });
});
