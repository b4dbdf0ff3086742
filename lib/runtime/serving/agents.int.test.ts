// The agents routes on a real database: the demo team runs through the embedded job queue with the
// offline demo model, its agent:state events go through the real batched event writer into the
// Agent table, and the routes report the job's progress and summary and the system it made.
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { createDemoLM } from "../../dspex";
import { AgentSystemDetailSchema, AgentSystemPageSchema, DEMO_TEAM_TASK_IDS, DemoTeamJobSchema, DemoTeamLaunchSchema, type DemoTeamJob } from "../../schemas";
import { createDemoTeamJob, DEMO_TASKS } from "../agents/demo-team";
import { createEventWriter, type EventWriter } from "../events";
import { createEmbeddedJobQueue, type JobQueue } from "../jobs";
import { waitUntil } from "../jobs/testing";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

describe.each(BACKENDS)("agents routes on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let bare: TestServer;
  let queue: JobQueue;
  let writer: EventWriter;
  let key: string;
  const call = (method: "GET" | "POST", path: string, body?: unknown, s: TestServer = server) => callApi(s.url, method, path, { key, ...(body !== undefined && { body }) });
  const job = async (jobId: string): Promise<DemoTeamJob> => bodyOf(await call("GET", `/api/v1/agents/demo-team/${jobId}`), DemoTeamJobSchema);
  const finished = (jobId: string) => waitUntil(() => job(jobId), (j) => j.status !== "queued" && j.status !== "running", `demo-team job ${jobId} to end`, 60_000, 50);

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    writer = createEventWriter({ sql: t.db.sql, log: pino({ level: "silent" }), flushIntervalMs: 20 });
    const demoTeam = createDemoTeamJob({ lmFor: () => createDemoLM({ seed: 1 }), publish: (state) => void writer.publish({ name: "agent:state", payload: state }).catch(() => {}) });
    queue = createEmbeddedJobQueue({ prisma: t.prisma, jobs: [demoTeam], pollMs: 20, heartbeatMs: 50, shutdownMs: 2000, retryDelayMs: 10 });
    await queue.start();
    server = await startTestServer(createServingApi({ ...s.deps, agentJobs: queue }));
    bare = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "agents" })).key;
  });
  afterAll(async () => {
    await queue?.stop();
    await writer?.stop();
    await server?.close();
    await bare?.close();
  });

  it("offers exactly the bundled tasks", () => {
    expect([...DEMO_TEAM_TASK_IDS]).toEqual(DEMO_TASKS.map((task) => task.id));
  });

  it("runs the demo team as a job: progress per round, then a summary per task, and lists its system", async () => {
    const launch = bodyOf(await call("POST", "/api/v1/agents/demo-team", { tasks: ["fizzbuzz", "clamp", "sum-of-digits"], maxRounds: 4 }), DemoTeamLaunchSchema, 201);
    expect(launch.systemId).toBe(`demo-team:${launch.jobId}`);
    const done = await finished(launch.jobId);
    expect(done).toMatchObject({ status: "completed", maxRounds: 4, error: null });
    expect(done.tasks.map((x) => [x.id, x.title])).toEqual([
      ["fizzbuzz", "FizzBuzz"],
      ["clamp", "Clamp"],
      ["sum-of-digits", "Sum of digits"],
    ]);
    expect(done.progress).toMatchObject({ taskId: "sum-of-digits", tasksDone: 2, tasksTotal: 3 });
    const result = done.result!;
    expect(result.tasks.map((x) => x.taskId)).toEqual(["fizzbuzz", "clamp", "sum-of-digits"]);
    expect(result.approved).toBe(result.tasks.filter((x) => x.approved).length);
    expect(result.approved).toBeGreaterThanOrEqual(2);
    expect(result.totalRounds).toBe(result.tasks.reduce((n, x) => n + x.rounds, 0));
    for (const task of result.tasks) {
      // The demo model's first attempt is always sent back; a task ends approved or at maxRounds.
      expect(task.rounds).toBeGreaterThanOrEqual(2);
      if (task.approved) expect(task.hiddenPassed).toBe(task.hiddenTotal);
      else expect(task.rounds).toBe(4);
      expect(task.finalCode).toMatch(/function/);
    }

    await writer.flush();
    const page = bodyOf(await call("GET", "/api/v1/agents/systems?limit=10"), AgentSystemPageSchema);
    expect(page.total).toBe(1);
    const system = page.items[0]!;
    expect(system).toMatchObject({ systemId: launch.systemId, agents: 2, states: { stopped: 2 }, restarts: 0, mailboxDepth: 0, job: { id: launch.jobId, status: "completed" } });
    expect(system.processed).toBe(2 * result.totalRounds);

    const detail = bodyOf(await call("GET", `/api/v1/agents/systems/${encodeURIComponent(launch.systemId)}?limit=2`), AgentSystemDetailSchema);
    expect(detail.jobId).toBe(launch.jobId);
    expect(detail.agents.map((a) => [a.name, a.role, a.state])).toEqual([
      ["coder", "coder", "stopped"],
      ["reviewer", "reviewer", "stopped"],
    ]);
    // States are throttled per agent, so how many are recorded varies; each agent has at least its start and its stop.
    expect(detail.events.total).toBeGreaterThanOrEqual(4);
    expect(detail.events.items).toHaveLength(2);
    const times = detail.events.items.map((e) => e.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const page2 = bodyOf(await call("GET", `/api/v1/agents/systems/${encodeURIComponent(launch.systemId)}?limit=2&page=2`), AgentSystemDetailSchema);
    expect(page2.events.items.map((e) => e.id)).not.toContain(detail.events.items[0]!.id);
  });

  it("refuses bad bodies by field, unknown jobs and systems, other job kinds, and callers without a key", async () => {
    const unknownTask = errorOf(await call("POST", "/api/v1/agents/demo-team", { tasks: ["nope"] }), 400, "INVALID_REQUEST");
    expect(unknownTask.fields?.map((f) => f.field)).toEqual(["tasks.0"]);
    const rounds = errorOf(await call("POST", "/api/v1/agents/demo-team", { maxRounds: 0 }), 400, "INVALID_REQUEST");
    expect(rounds.fields?.[0]).toMatchObject({ field: "maxRounds" });
    errorOf(await call("POST", "/api/v1/agents/demo-team", { tasks: [] }), 400, "INVALID_REQUEST");
    errorOf(await call("POST", "/api/v1/agents/demo-team", { extra: 1 }), 400, "INVALID_REQUEST");
    errorOf(await call("GET", "/api/v1/agents/demo-team/no-such-job"), 404, "NOT_FOUND");
    errorOf(await call("GET", "/api/v1/agents/systems/no-such-system"), 404, "NOT_FOUND");
    errorOf(await call("GET", "/api/v1/agents/systems?limit=500"), 400, "INVALID_REQUEST");
    errorOf(await callApi(server.url, "GET", "/api/v1/agents/systems"), 401, "UNAUTHORIZED");
    errorOf(await call("POST", "/api/v1/agents/demo-team", {}, bare), 503, "QUEUE_UNAVAILABLE");
  });
});
