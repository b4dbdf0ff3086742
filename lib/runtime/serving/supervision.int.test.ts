import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { SupervisionSchema } from "../../schemas";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { startSupervisor, supervisor, task, type Supervisor } from "../supervisor";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const idle = () => task((signal) => new Promise((r) => signal.addEventListener("abort", r)));

describe.each(BACKENDS)("GET /api/v1/supervision on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let bare: TestServer;
  let sup: Supervisor;
  let key: string;

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    sup = await startSupervisor({
      children: [
        { id: "retention", start: idle() },
        { id: "jobs", start: supervisor({ flags: { strategy: "one_for_all" }, children: [{ id: "worker-1", start: idle() }] }) },
      ],
    });
    server = await startTestServer(createServingApi({ ...s.deps, supervisor: sup }));
    bare = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "supervision" })).key;
    await t.prisma.agent.createMany({
      data: [
        { id: "a2", systemId: "support", name: "triage", role: "router", state: "busy", mailboxDepth: 3, processed: 10 },
        { id: "a1", systemId: "support", name: "answerer", role: "worker", state: "idle", processed: 7, restarts: 1, lastError: "timeout" },
      ],
    });
  });
  afterAll(async () => {
    await server?.close();
    await bare?.close();
    await sup?.stop();
  });

  it("flattens the tree, parents first, with each child's state and restarts, and lists the agents", async () => {
    const body = bodyOf(await callApi(server.url, "GET", "/api/v1/supervision", { key }), SupervisionSchema);
    expect(body.available).toBe(true);
    expect(body.supervisors.map((x) => [x.path, x.parent, x.strategy])).toEqual([
      ["root", null, "one_for_one"],
      ["root/jobs", "root", "one_for_all"],
    ]);
    expect(body.children.map((c) => [c.supervisor, c.id, c.type, c.state])).toEqual([
      ["root", "retention", "worker", "running"],
      ["root", "jobs", "supervisor", "running"],
      ["root/jobs", "worker-1", "worker", "running"],
    ]);
    expect(body.agents.map((a) => a.name)).toEqual(["answerer", "triage"]);
    expect(body.agents[1]).toMatchObject({ mailboxDepth: 3, processed: 10, state: "busy" });
    expect(body.agentTotal).toBe(2);
  });

  it("answers an empty tree when the server has no supervisor, and needs a key", async () => {
    const body = bodyOf(await callApi(bare.url, "GET", "/api/v1/supervision", { key }), SupervisionSchema);
    expect(body).toMatchObject({ available: false, supervisors: [], children: [] });
    errorOf(await callApi(server.url, "GET", "/api/v1/supervision"), 401, "UNAUTHORIZED");
  });
});
