import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import {
  ActivationViewSchema,
  configSchemaFor,
  CSRF_COOKIE,
  CSRF_HEADER,
  PredictResponseSchema,
  ProgramDetailSchema,
  ProgramListPageSchema,
  ProgramVersionPageSchema,
  ProgramVersionViewSchema,
  SESSION_COOKIE,
  VersionDiffViewSchema,
} from "../../schemas";
import { createSession, createUser } from "../store";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

const QA = { context: "DSPEx has a framework, a variable system and a runtime.", question: "What does DSPEx have?" };

describe.each(BACKENDS)("programs API on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let server: TestServer;
  let key: string;
  let session: { cookie: string; csrf: string; userId: string };
  const get = (path: string) => callApi(server.url, "GET", path, { key });
  const post = (path: string, body?: unknown) => callApi(server.url, "POST", path, { key, ...(body !== undefined && { body }) });
  const postAsPerson = (path: string, body: unknown) =>
    callApi(server.url, "POST", path, { body, headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.cookie)}; ${CSRF_COOKIE}=${session.csrf}`, [CSRF_HEADER]: session.csrf } });

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "programs" })).key;
    const user = await createUser(t.prisma, { name: "Ada Lovelace", email: "ada@example.com", password: "a long enough password", role: "maintainer" });
    const created = await createSession(t.prisma, user.id);
    session = { cookie: created.token, csrf: created.csrfToken, userId: user.id };
    await callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key, body: { input: QA } });
    await callApi(server.url, "POST", "/api/v1/programs/broken/predict", { key, body: { input: { question: "?" } } });
  });
  afterAll(() => server?.close());

  it("lists programs with active version, version count and the last 24 hours of runs", async () => {
    const page = bodyOf(await get("/api/v1/programs"), ProgramListPageSchema);
    expect(page.items.map((p) => p.name)).toEqual(["arithmetic", "broken", "classify", "qa", "slow"]);
    const qa = page.items.find((p) => p.name === "qa")!;
    expect(qa).toMatchObject({ served: true, activeVersion: { number: 1 }, versionCount: 1, stats: { runs: 1, errors: 0, errorRate: 0 } });
    expect(qa.stats.lastRunAt).not.toBeNull();
    expect(page.items.find((p) => p.name === "broken")!.stats).toMatchObject({ runs: 1, errors: 1, errorRate: 1 });
    expect(page.items.find((p) => p.name === "classify")!.stats).toEqual({ runs: 0, errors: 0, errorRate: null, lastRunAt: null });
    const second = bodyOf(await get("/api/v1/programs?limit=2&page=2"), ProgramListPageSchema);
    expect(second).toMatchObject({ total: 5, page: 2, limit: 2, items: [{ name: "classify" }, { name: "qa" }] });
    expect(bodyOf(await get("/api/v1/programs?search=ari"), ProgramListPageSchema).items.map((p) => p.name)).toEqual(["arithmetic"]);
  });

  it("describes a program: signature, module tree, variable space and active version", async () => {
    const qa = bodyOf(await get("/api/v1/programs/qa"), ProgramDetailSchema);
    expect(qa.signature?.inputs.map((f) => f.name)).toEqual(["context", "question"]);
    expect(qa.signature?.outputs.map((f) => f.name)).toEqual(["answer"]);
    expect(qa.moduleTree).toMatchObject({ path: "", kind: "Predict", step: true, children: [] });
    expect(qa.variables.map((v) => [v.name, v.kind])).toEqual([
      ["module", "module"],
      ["instructions", "text"],
      ["demos", "demos"],
      ["temperature", "float"],
    ]);
    expect(qa.variables.find((v) => v.name === "demos")?.maxItems).toBe(8);
    expect(qa.active).toMatchObject({ number: 1, active: true });
    errorOf(await get("/api/v1/programs/nope"), 404, "NOT_FOUND");
  });

  it("the schema the browser derives refuses what the server refuses", async () => {
    const qa = bodyOf(await get("/api/v1/programs/qa"), ProgramDetailSchema);
    const schema = configSchemaFor(qa.variables);
    expect(schema.safeParse({ temperature: 0.3, module: "chain-of-thought" }).success).toBe(true);
    const bad = schema.safeParse({ temperature: 9, module: "react" });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join("."))).toEqual(["module", "temperature"]);
  });

  it("creates a version from changed variables, authored by the signed-in person, with its diff", async () => {
    const created = bodyOf(await postAsPerson("/api/v1/programs/qa/versions", { config: { temperature: 0.2 }, message: "cooler" }), ProgramVersionViewSchema, 201);
    expect(created).toMatchObject({ number: 2, active: false, authorKind: "user", authorId: session.userId, authorName: "Ada Lovelace", message: "cooler" });
    expect(created.diff).toEqual([{ name: "temperature", before: 0.7, after: 0.2 }]);
    const diff = bodyOf(await get(`/api/v1/programs/qa/versions/${created.id}/diff`), VersionDiffViewSchema);
    expect(diff).toMatchObject({ from: { number: 1 }, to: { number: 2 }, changes: [{ name: "temperature", before: 0.7, after: 0.2 }] });
    const page = bodyOf(await get("/api/v1/programs/qa/versions?limit=1"), ProgramVersionPageSchema);
    expect(page).toMatchObject({ total: 2, page: 1, limit: 1, items: [{ number: 2, authorName: "Ada Lovelace" }] });
    const first = bodyOf(await get("/api/v1/programs/qa/versions?page=2&limit=1"), ProgramVersionPageSchema).items[0]!;
    expect(bodyOf(await get(`/api/v1/programs/qa/versions/${first.id}/diff`), VersionDiffViewSchema)).toMatchObject({ from: null, changes: [] });
  });

  it("400 names each variable at fault as config.<name>", async () => {
    const fields = async (config: unknown) => errorOf(await post("/api/v1/programs/qa/versions", { config }), 400, "INVALID_REQUEST").fields?.map((f) => f.field);
    expect(await fields({ temperature: 3 })).toEqual(["config.temperature"]);
    expect(await fields({ temperature: "hot", instructions: 4 })).toEqual(["config.instructions", "config.temperature"]);
    expect(await fields({ colour: "red" })).toEqual(["config.colour"]);
    expect(await fields({})).toEqual(["config"]);
    expect(errorOf(await post("/api/v1/programs/qa/versions", { config: { temperature: 2 } }), 400, "INVALID_REQUEST").message).toMatch(/config.temperature must be at most 1.5/);
    errorOf(await post("/api/v1/programs/nope/versions", { config: { temperature: 0.1 } }), 404, "NOT_FOUND");
  });

  it("promotes a version, serves it at once, rolls back to the version active before", async () => {
    const versions = bodyOf(await get("/api/v1/programs/qa/versions"), ProgramVersionPageSchema).items;
    const v2 = versions.find((v) => v.number === 2)!;
    // Warm the serving cache with version 1 as active.
    expect(bodyOf(await post("/api/v1/programs/qa/predict", { input: QA }), PredictResponseSchema).version.number).toBe(1);
    const promoted = bodyOf(await post(`/api/v1/programs/qa/versions/${v2.id}/promote`), ActivationViewSchema);
    expect(promoted).toMatchObject({ programName: "qa", active: { id: v2.id, active: true } });
    expect(bodyOf(await post("/api/v1/programs/qa/predict", { input: QA }), PredictResponseSchema).version.number).toBe(2);
    expect(bodyOf(await get("/api/v1/programs/qa"), ProgramDetailSchema).rollbackTo).toMatchObject({ number: 1 });
    const rolled = bodyOf(await post("/api/v1/programs/qa/rollback"), ActivationViewSchema);
    expect(rolled).toMatchObject({ active: { number: 1 }, previousId: v2.id });
    expect(bodyOf(await post("/api/v1/programs/qa/predict", { input: QA }), PredictResponseSchema).version.number).toBe(1);
    expect(bodyOf(await get("/api/v1/programs/qa"), ProgramDetailSchema).rollbackTo).toBeNull();
    expect(errorOf(await post("/api/v1/programs/qa/rollback"), 409, "CONFLICT").message).toMatch(/nothing to roll back to/);
  });

  it("refuses a version of another program and needs a key or a session", async () => {
    const classify = bodyOf(await get("/api/v1/programs/classify"), ProgramDetailSchema);
    errorOf(await post(`/api/v1/programs/qa/versions/${classify.active!.id}/promote`), 404, "NOT_FOUND");
    errorOf(await get(`/api/v1/programs/qa/versions/${classify.active!.id}/diff`), 404, "NOT_FOUND");
    errorOf(await callApi(server.url, "GET", "/api/v1/programs"), 401, "UNAUTHORIZED");
    errorOf(await callApi(server.url, "POST", "/api/v1/programs/qa/rollback"), 401, "UNAUTHORIZED");
  });
});
