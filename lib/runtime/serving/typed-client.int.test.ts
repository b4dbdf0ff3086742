// The typed client (lib/api/client) against a real server: path parameters, queries and bodies go
// where the route table says, replies are parsed with its schemas, refusals become ApiError.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, apiClient, routes, type ApiCall } from "../../api/client";
import { BACKENDS } from "../../db/testing";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { createTestServing, startTestServer, type TestServer } from "./testing";

const QA = { context: "DSPEx has a framework, a variable system and a runtime.", question: "What does DSPEx have?" };

describe.each(BACKENDS)("the typed client on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let call: ApiCall;

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    const { key } = await createApiKey(t.prisma, { name: "typed client", scopes: ["predict", "read", "manage"] });
    call = apiClient({ baseUrl: server.url, headers: { authorization: `Bearer ${key}` } });
  });
  afterAll(() => server?.close());

  it("predicts, then reads the run back by its id and in a filtered list", async () => {
    const answer = await call(routes.predict, { params: { name: "qa" }, body: { input: QA } });
    expect(answer.runId).toEqual(expect.any(String));

    const trace = await call(routes.getRun, { params: { id: answer.runId } });
    expect(trace.run).toMatchObject({ id: answer.runId, program: { name: "qa" }, status: "ok" });

    const page = await call(routes.listRuns, { query: { programName: "qa", limit: 10 } });
    expect(page).toMatchObject({ total: 1, page: 1, limit: 10 });
    expect(page.items.map((r) => r.id)).toEqual([answer.runId]);
    // Strings as read from a page's URL are accepted by name and checked by the server.
    expect((await call(routes.listRuns, { query: { programName: "qa", status: "error" } })).total).toBe(0);
  });

  it("encodes path parameters and sends bodies to the route's own path", async () => {
    const program = await call(routes.getProgram, { params: { name: "qa" } });
    const version = await call(routes.createProgramVersion, { params: { name: "qa" }, body: { config: { temperature: 0.2 }, message: "from the typed client", parentId: program.activeVersion!.id } });
    expect(version).toMatchObject({ number: 2, active: false, message: "from the typed client" });
    const versions = await call(routes.listProgramVersions, { params: { name: "qa" }, query: { page: 1, limit: 1 } });
    expect(versions).toMatchObject({ total: 2, items: [{ id: version.id }] });
    const diff = await call(routes.diffProgramVersion, { params: { name: "qa", id: version.id } });
    expect(diff).toMatchObject({ from: { number: 1 }, to: { number: 2 }, changes: [{ name: "temperature", before: 0.7, after: 0.2 }] });
  });

  it("turns a refusal into ApiError with the server's code and per-field messages", async () => {
    const missing = await call(routes.getProgram, { params: { name: "nope" } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404, code: "NOT_FOUND" });

    const bad = await call(routes.listRuns, { query: { status: "sideways" } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad).toMatchObject({ status: 400, code: "INVALID_REQUEST", fields: { status: expect.any(String) } });

    const badInput = await call(routes.predict, { params: { name: "qa" }, body: { input: { question: "no context" } } }).catch((e: unknown) => e);
    expect(badInput).toMatchObject({ status: 422, fields: { "input.context": expect.any(String) } });
  });

  it("refuses a call without credentials as 401", async () => {
    const anonymous = apiClient({ baseUrl: server.url });
    await expect(anonymous(routes.listPrograms)).rejects.toMatchObject({ status: 401, code: "UNAUTHORIZED" });
  });
});
