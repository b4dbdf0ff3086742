import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { ExperimentDetailSchema, ExperimentPageSchema, ExperimentSchema, type ExperimentDetail } from "../../schemas";
import { createExperimentJob } from "../experiments";
import { createEmbeddedJobQueue, type JobQueue } from "../jobs";
import { waitUntil } from "../jobs/testing";
import { createApiKey, createProgramVersion, getActiveVersion, listDatasetVersions } from "../store";
import { useTestDatabase } from "../store/testing";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

describe.each(BACKENDS)("experiments on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let queue: JobQueue;
  let key: string;
  let readKey: string;
  let datasetVersionId: string;
  const post = (body: unknown, k = key) => callApi(server.url, "POST", "/api/v1/experiments", { key: k, body });
  const get = (path: string) => callApi(server.url, "GET", `/api/v1/experiments${path}`, { key });

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    const job = createExperimentJob({
      store: s.deps.store,
      resolver: s.resolver,
      lmFor: (scopes) => s.deps.lmFor({ programId: scopes.programId, programName: "", versionId: scopes.versionId, apiKeyId: null }),
      recordRun: (init) => {
        const run = s.deps.createRunTracer({ ...init, apiKeyId: null, source: "playground" });
        return { tracer: run.tracer, runId: run.runId, finish: (end) => run.finish(end.status, end.output, end.error ?? undefined) };
      },
    });
    queue = createEmbeddedJobQueue({ prisma: t.prisma, jobs: [job], pollMs: 20, heartbeatMs: 50, shutdownMs: 2000, retryDelayMs: 10 });
    await queue.start();
    server = await startTestServer(createServingApi({ ...s.deps, experimentJobs: queue }));
    key = (await createApiKey(t.prisma, { name: "experimenter", scopes: ["read", "optimize"] })).key;
    readKey = (await createApiKey(t.prisma, { name: "reader", scopes: ["read"] })).key;
    datasetVersionId = (await listDatasetVersions(t.prisma, { datasetName: "qa" })).items[0]!.id;
    // Version 2: a hot temperature, which the demo model answers worse at.
    const active = await getActiveVersion(t.prisma, "qa");
    await createProgramVersion(t.prisma, s.registry.require("qa").space, { programName: "qa", parentId: active.id, config: { temperature: 1.5 }, authorKind: "user", authorId: null, message: "hot", activate: false });
  });
  afterAll(async () => {
    await queue?.stop();
    await server?.close();
  });

  it("runs two versions on the same examples and shows each example side by side, differences marked, with aggregates and traces", async () => {
    const created = bodyOf(await post({ program: "qa", versions: [1, 2], datasetVersionId, limit: 8 }), ExperimentSchema, 201);
    expect(created).toMatchObject({ programName: "qa", status: "queued", examples: 8 });
    const done = await waitUntil<ExperimentDetail>(async () => bodyOf(await get(`/${created.id}`), ExperimentDetailSchema), (e) => e.status === "completed" || e.status === "failed", "the experiment to finish", 60_000);
    expect(done.error).toBeNull();
    expect(done.status).toBe("completed");
    expect(done.versions.map((v) => [v.number, v.examples])).toEqual([
      [1, 8],
      [2, 8],
    ]);
    expect(done.rows).toHaveLength(8);
    const [base, hot] = done.versions;
    expect(hot!.better + hot!.worse + hot!.same).toBe(8);
    expect(base!.mean).toBeGreaterThanOrEqual(0);
    expect(base!.ci95![0]).toBeLessThanOrEqual(base!.mean!);
    for (const row of done.rows) {
      const [a, b] = row.cells;
      expect(a!.runId).toEqual(expect.any(String));
      expect(b!.runId).not.toBe(a!.runId);
      expect(row.differs).toBe(a!.score !== b!.score || JSON.stringify(a!.output) !== JSON.stringify(b!.output));
    }
    // The baseline's mean is the mean of its cells.
    const scores = done.rows.map((r) => r.cells[0]!.score ?? 0);
    expect(base!.mean).toBeCloseTo(scores.reduce((x, y) => x + y, 0) / scores.length, 9);
    // Each cell's run is recorded: its trace opens.
    const run = await callApi(server.url, "GET", `/api/v1/runs/${done.rows[0]!.cells[1]!.runId}`, { key });
    expect(run.status).toBe(200);

    const list = bodyOf(await get("?program=qa"), ExperimentPageSchema);
    expect(list.items.map((e) => e.id)).toContain(created.id);
    expect(list.items.find((e) => e.id === created.id)!.versions[1]!.mean).toBeCloseTo(hot!.mean!, 9);
  });

  it("refuses what cannot run, naming the field; reading keys may not launch", async () => {
    expect(errorOf(await post({ program: "qa", versions: [1], datasetVersionId }), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["versions"]);
    expect(errorOf(await post({ program: "qa", versions: [1, 1], datasetVersionId }), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["versions"]);
    expect(errorOf(await post({ program: "qa", versions: [1, 99], datasetVersionId }), 404, "NOT_FOUND").fields?.map((f) => f.field)).toEqual(["versions.1"]);
    expect(errorOf(await post({ program: "nope", versions: [1, 2], datasetVersionId }), 404, "NOT_FOUND").fields?.map((f) => f.field)).toEqual(["program"]);
    expect(errorOf(await post({ program: "qa", versions: [1, 2], datasetVersionId: "nope" }), 404, "NOT_FOUND").fields?.map((f) => f.field)).toEqual(["datasetVersionId"]);
    errorOf(await post({ program: "qa", versions: [1, 2], datasetVersionId }, readKey), 403, "FORBIDDEN");
    errorOf(await get("/nope"), 404, "NOT_FOUND");
  });
});
