import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import {
  ApplyOptimizationResponseSchema,
  OptimizationEstimateSchema,
  OptimizationPageSchema,
  OptimizationSchema,
  OptimizationSetupSchema,
  OptimizationStatusResponseSchema,
  TrialPageSchema,
} from "../../schemas";
import { createApiKey, createDataset, createDatasetVersion, createProgramVersion, getActiveVersion, listDatasetVersions, setOptimizationStatus } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

const LAUNCH = { programName: "qa", optimizer: "mipro-v2", options: { auto: "light" }, seed: 7, budget: { usd: 2, lmCalls: 500 } } as const;

describe.each(BACKENDS)("/api/v1/optimizations on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let server: TestServer;
  let key: string;
  let keyId: string;
  const call = (method: string, path: string, body?: unknown) => callApi(server.url, method, `/api/v1/optimizations${path}`, { key, ...(body !== undefined && { body }) });
  const launch = async (body: unknown = LAUNCH) => bodyOf(await call("POST", "", body), OptimizationSchema, 201);

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    const created = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "optimizer" });
    key = created.key;
    keyId = created.apiKey.id;
  });
  afterAll(() => server?.close());

  it("launches: records the optimization (queued, from the active version), queues its job and stores the job id", async () => {
    const [dataset] = (await listDatasetVersions(t.prisma, { datasetName: "qa" })).items;
    const reply = await call("POST", "", { ...LAUNCH, datasetVersionId: dataset!.id });
    const o = bodyOf(reply, OptimizationSchema, 201);
    expect(reply.headers.get("location")).toBe(`/api/v1/optimizations/${o.id}`);
    const qa = await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } });
    expect(o).toMatchObject({
      status: "queued",
      program: { name: "qa" },
      baseVersionId: qa.activeVersionId,
      datasetVersionId: dataset!.id,
      optimizer: "mipro-v2",
      options: { auto: "light" },
      seed: 7,
      budget: { usd: 2, lmCalls: 500, seconds: null },
      createdBy: `apiKey:${keyId}`,
    });
    expect(s.jobs.jobs.at(-1)).toMatchObject({ id: o.jobId, kind: "optimization", payload: { optimizationId: o.id }, state: "queued" });
  });

  it("400 names every field of a launch that does not fit; 404 names an unknown program or dataset version", async () => {
    const fields = async (body: unknown) => errorOf(await call("POST", "", body), 400, "INVALID_REQUEST").fields;
    expect(await fields({ optimizer: "nope", budget: { usd: -1 }, seed: "x", colour: "red" })).toEqual([
      { field: "programName", message: "is missing; it must be a string" },
      { field: "seed", message: 'must be a number; received "x"' },
      { field: "budget.usd", message: "must be above 0" },
      { field: "optimizer", message: "must be one of auto, labeled-few-shot, bootstrap-few-shot, bootstrap-random-search, mipro-v2, simba, gepa, reflect-race, tpe, genetic, random" },
      { field: "colour", message: "is not a field of this body; fields: programName, baseVersionId, datasetVersionId, options, seed, budget, optimizer" },
    ]);
    expect(errorOf(await call("POST", "", { ...LAUNCH, programName: "ghost" }), 404, "NOT_FOUND").fields).toEqual([{ field: "programName", message: expect.stringContaining('program "ghost" is not served here') }]);
    expect(errorOf(await call("POST", "", { ...LAUNCH, datasetVersionId: "missing-dv" }), 404, "NOT_FOUND").fields).toEqual([{ field: "datasetVersionId", message: 'no dataset version "missing-dv"' }]);
    errorOf(await callApi(server.url, "POST", "/api/v1/optimizations", { body: LAUNCH }), 401, "UNAUTHORIZED");
  });

  it("takes the program's dataset when none is named, and refuses a dataset whose fields do not fit the signature, each mismatch named; nothing is recorded", async () => {
    const [latest] = (await listDatasetVersions(t.prisma, { datasetName: "qa" })).items;
    expect((await launch()).datasetVersionId).toBe(latest!.id);

    await createDataset(t.prisma, { name: "reviews-elsewhere" });
    const other = await createDatasetVersion(t.prisma, {
      datasetName: "reviews-elsewhere",
      examples: [
        { inputs: { text: "great" }, outputs: { label: "positive" } },
        { inputs: { text: "awful", question: 3 }, outputs: {} },
      ],
    });
    const before = await t.prisma.optimization.count();
    const error = errorOf(await call("POST", "", { ...LAUNCH, datasetVersionId: other.id }), 400, "INVALID_REQUEST");
    expect(error.message).toMatch(/^the dataset does not fit program "qa": /);
    expect(error.fields).toEqual([
      { field: "input.context", message: "the required input is missing in 2 of 2 examples (e.g. example 1, 2)" },
      { field: "input.question", message: "the required input is missing in 1 of 2 examples (e.g. example 1)" },
      { field: "input.text", message: "is not an input of the program's signature (inputs: context, question); found in 2 of 2 examples (e.g. example 1, 2)" },
      { field: "output.label", message: "is not an output of the program's signature (outputs: answer); found in 1 of 2 examples (e.g. example 1)" },
      { field: "input.question", message: "expects string; 1 of 2 examples (e.g. example 2) hold another value, e.g. 3" },
      { field: "outputs", message: "no expected output (answer) in 2 of 2 examples (e.g. example 1, 2); the metric has nothing to compare with" },
    ]);
    expect(errorOf(await call("POST", "/estimate", { ...LAUNCH, datasetVersionId: other.id }), 400, "INVALID_REQUEST").fields).toEqual(error.fields);
    expect(await t.prisma.optimization.count()).toBe(before);
  });

  it("503 when the queue refuses the job; the optimization is then marked failed and can be resumed", async () => {
    s.jobs.refuseNext("redis is down");
    const error = errorOf(await call("POST", "", LAUNCH), 503, "QUEUE_UNAVAILABLE");
    const id = /optimization (\S+) could not be queued \(redis is down\)/.exec(error.message)![1]!;
    const failed = bodyOf(await call("GET", `/${id}`), OptimizationStatusResponseSchema);
    expect(failed).toMatchObject({ status: "failed", error: "could not be queued: redis is down", jobId: null });
    const resumed = bodyOf(await call("POST", `/${id}/resume`), OptimizationSchema);
    expect(resumed).toMatchObject({ status: "queued", jobId: s.jobs.jobs.at(-1)!.id });
  });

  it("reports status, spend and the best trial (full evaluations first), and pages trials sorted", async () => {
    const o = await launch();
    expect(bodyOf(await call("GET", `/${o.id}`), OptimizationStatusResponseSchema)).toMatchObject({ id: o.id, status: "queued", best: null, spent: { usd: 0, lmCalls: 0 } });
    const trial = (number: number, score: number | null, evaluation: "minibatch" | "full", status: "complete" | "failed" = "complete") =>
      t.prisma.trial.create({ data: { optimizationId: o.id, number, config: { temperature: number / 10 }, status, score, evaluation, costUsd: (number / 1000).toFixed(9), lmCalls: 2, latencyMs: 10 * number } });
    await trial(1, 0.9, "minibatch");
    await trial(2, 0.7, "full");
    await trial(3, 0.8, "full");
    await trial(4, null, "minibatch", "failed");
    await t.prisma.optimization.update({ where: { id: o.id }, data: { spentUsd: "0.25", lmCalls: 8, trialCount: 4, bestScore: 0.8 } });

    const status = bodyOf(await call("GET", `/${o.id}`), OptimizationStatusResponseSchema);
    expect(status).toMatchObject({ trialCount: 4, bestScore: 0.8, spent: { usd: 0.25, lmCalls: 8 }, best: { number: 3, score: 0.8, evaluation: "full", config: { temperature: 0.3 } } });

    const byScore = bodyOf(await call("GET", `/${o.id}/trials?sort=score&order=desc&limit=3`), TrialPageSchema);
    expect(byScore).toMatchObject({ total: 4, page: 1, limit: 3 });
    expect(byScore.items.map((tr) => tr.number)).toEqual([1, 3, 2]);
    const page2 = bodyOf(await call("GET", `/${o.id}/trials?sort=score&order=desc&limit=3&page=2`), TrialPageSchema);
    expect(page2.items.map((tr) => [tr.number, tr.score])).toEqual([[4, null]]);
    expect(bodyOf(await call("GET", `/${o.id}/trials?evaluation=full`), TrialPageSchema).items.map((tr) => tr.number)).toEqual([2, 3]);
    expect(errorOf(await call("GET", `/${o.id}/trials?sort=colour`), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["sort"]);
    expect(errorOf(await call("GET", `/no-such/trials`), 404, "NOT_FOUND").message).toBe('optimization "no-such" not found');
    expect(errorOf(await call("GET", `/no-such`), 404, "NOT_FOUND").message).toBe('optimization "no-such" not found');
  });

  it("stops a queued optimization at once, a running one after its trial; resumes stopped ones; refuses the rest with 409", async () => {
    const queued = await launch();
    const stopped = bodyOf(await call("POST", `/${queued.id}/stop`), OptimizationSchema);
    expect(stopped.status).toBe("stopped");
    expect(s.jobs.jobs.find((j) => j.id === queued.jobId)!.state).toBe("cancelled");
    expect(errorOf(await call("POST", `/${queued.id}/stop`), 409, "CONFLICT").message).toBe(`optimization ${queued.id} is stopped; only queued or running optimizations can be stopped`);

    const resumed = bodyOf(await call("POST", `/${queued.id}/resume`), OptimizationSchema);
    expect(resumed.status).toBe("queued");
    expect(resumed.jobId).not.toBe(queued.jobId);
    expect(s.jobs.jobs.at(-1)).toMatchObject({ id: resumed.jobId, payload: { optimizationId: queued.id }, state: "queued" });
    expect(errorOf(await call("POST", `/${queued.id}/resume`), 409, "CONFLICT").message).toBe(`optimization ${queued.id} is queued; only stopped or failed optimizations can be resumed`);

    await setOptimizationStatus(t.prisma, queued.id, { status: "running" });
    expect(bodyOf(await call("POST", `/${queued.id}/stop`), OptimizationSchema).status).toBe("stopping");
    expect(s.jobs.jobs.find((j) => j.id === resumed.jobId)!.state).toBe("cancelled");
    expect(bodyOf(await call("POST", `/${queued.id}/stop`), OptimizationSchema).status).toBe("stopping");
    errorOf(await call("POST", `/${queued.id}/resume`), 409, "CONFLICT");

    await setOptimizationStatus(t.prisma, queued.id, { status: "completed" });
    errorOf(await call("POST", `/${queued.id}/stop`), 409, "CONFLICT");
    errorOf(await call("POST", `/no-such/stop`), 404, "NOT_FOUND");
    errorOf(await call("GET", `/${queued.id}/stop`), 405, "METHOD_NOT_ALLOWED");
  });

  it("lists optimizations newest first, paged and filtered by program and status", async () => {
    const a = await launch();
    const b = await launch({ ...LAUNCH, optimizer: "tpe" });
    const page = bodyOf(await call("GET", "?limit=2"), OptimizationPageSchema);
    expect(page).toMatchObject({ page: 1, limit: 2 });
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.items.map((o) => o.id)).toEqual([b.id, a.id]);
    expect(bodyOf(await call("GET", "?programName=classify"), OptimizationPageSchema).total).toBe(0);
    const queued = bodyOf(await call("GET", "?status=queued&limit=100"), OptimizationPageSchema);
    expect(queued.items.every((o) => o.status === "queued")).toBe(true);
    expect(errorOf(await call("GET", "?status=sleeping"), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["status"]);
  });

  it("offers the launch form's choices: programs with variables and their default dataset version", async () => {
    const setup = bodyOf(await call("GET", "/setup"), OptimizationSetupSchema);
    const [latest] = (await listDatasetVersions(t.prisma, { datasetName: "qa" })).items;
    const qa = setup.programs.find((p) => p.name === "qa")!;
    expect(qa).toMatchObject({ hasMetric: true, defaultDatasetVersionId: latest!.id });
    expect(qa.variables.map((v) => v.name)).toEqual(expect.arrayContaining(["instructions", "demos", "temperature"]));
    expect(setup.datasetVersions.find((v) => v.id === latest!.id)).toMatchObject({ datasetName: "qa", number: latest!.number });
    expect(setup.optimizers).toContain("mipro-v2");
  });

  it("estimates a launch without running it: trials, LM calls, dollars, the variables searched and budget warnings", async () => {
    const [dataset] = (await listDatasetVersions(t.prisma, { datasetName: "qa" })).items;
    const before = await t.prisma.optimization.count();
    const launchBody = { programName: "qa", datasetVersionId: dataset!.id, optimizer: "tpe", seed: 1, budget: { lmCalls: 1_000_000 } };
    const all = bodyOf(await call("POST", "/estimate", launchBody), OptimizationEstimateSchema);
    expect(all.trials).toBeGreaterThan(1);
    expect(all.lmCalls).toBeGreaterThan(0);
    expect(all.usd).toBeGreaterThan(0);
    expect(all.val).toBeGreaterThan(0);
    expect(all.variables).toEqual(expect.arrayContaining(["temperature", "module"]));
    expect(all.warnings).toEqual([]);
    const one = bodyOf(await call("POST", "/estimate", { ...launchBody, options: { search: ["temperature"] }, budget: { lmCalls: 5, usd: 0.0000001 } }), OptimizationEstimateSchema);
    expect(one.variables).toEqual(["temperature"]);
    expect(one.warnings).toEqual([expect.stringContaining("above the budget of 5"), expect.stringContaining("above the budget of $1e-7")]);
    expect(await t.prisma.optimization.count()).toBe(before);

    const fieldsOf = async (body: unknown) => errorOf(await call("POST", "/estimate", body), 400, "INVALID_REQUEST").fields;
    // Without a dataset version, the newest version of the dataset named after the program is taken.
    expect(bodyOf(await call("POST", "/estimate", { ...launchBody, datasetVersionId: undefined }), OptimizationEstimateSchema)).toEqual(all);
    expect(await fieldsOf({ ...launchBody, options: { search: ["colour"] } })).toEqual([{ field: "options.search", message: expect.stringContaining("names unknown variable(s) colour; variables: ") }]);
    expect(await fieldsOf({ ...launchBody, options: { valFraction: 2 } })).toEqual([{ field: "options.valFraction", message: "must be below 1" }]);
    expect(await fieldsOf({ ...launchBody, budget: { usd: 0 } })).toEqual([{ field: "budget.usd", message: "must be above 0" }]);
    expect(errorOf(await call("POST", "/estimate", { ...launchBody, datasetVersionId: "missing-dv" }), 404, "NOT_FOUND").fields).toEqual([{ field: "datasetVersionId", message: 'no dataset version "missing-dv"' }]);
    expect(errorOf(await call("POST", "/estimate", { ...launchBody, programName: "ghost" }), 404, "NOT_FOUND").fields?.[0]?.field).toBe("programName");
  });

  it("applies the best configuration: promotes the result version; 409 before completion, 404 without one", async () => {
    const o = await launch();
    expect(errorOf(await call("POST", `/${o.id}/apply`), 409, "CONFLICT").message).toBe(`optimization ${o.id} is queued; its best configuration becomes a version to apply when it completes`);
    await setOptimizationStatus(t.prisma, o.id, { status: "running" });
    await setOptimizationStatus(t.prisma, o.id, { status: "completed" });
    expect(errorOf(await call("POST", `/${o.id}/apply`), 404, "NOT_FOUND").fields).toEqual([
      { field: "resultVersionId", message: `optimization ${o.id} found nothing better than its base version, so it has no result version to apply` },
    ]);

    const won = await launch();
    const before = await getActiveVersion(t.prisma, "qa");
    const result = await createProgramVersion(t.prisma, s.registry.require("qa").space, { programName: "qa", parentId: before.id, config: { temperature: 0.3 }, authorKind: "optimization", authorId: won.id, message: "best", activate: false });
    await setOptimizationStatus(t.prisma, won.id, { status: "running" });
    await setOptimizationStatus(t.prisma, won.id, { status: "completed", resultVersionId: result.id });
    const applied = bodyOf(await call("POST", `/${won.id}/apply`), ApplyOptimizationResponseSchema);
    expect(applied).toEqual({ optimizationId: won.id, programName: "qa", versionId: result.id, versionNumber: result.number, previousVersionId: before.id });
    expect((await getActiveVersion(t.prisma, "qa")).id).toBe(result.id);
    errorOf(await call("POST", `/no-such/apply`), 404, "NOT_FOUND");
  });
});
