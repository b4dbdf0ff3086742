import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { OverviewMetricsSchema, PredictResponseSchema } from "../../schemas";
import { createApiKey, createBudget, createOptimization, setOptimizationStatus, windowStartOf } from "../store";
import { useTestDatabase } from "../store/testing";
import { startSupervisor, task, type Supervisor } from "../supervisor";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const QA = { context: "DSPEx has a framework, a variable system and a runtime.", question: "What does DSPEx have?" };

describe.each(BACKENDS)("GET /api/v1/metrics/overview on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let sup: Supervisor;
  let key: string;
  const get = () => callApi(server.url, "GET", "/api/v1/metrics/overview", { key });

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    sup = await startSupervisor({ children: [{ id: "idle", start: task((signal) => new Promise((r) => signal.addEventListener("abort", r))) }] });
    server = await startTestServer(createServingApi({ ...s.deps, supervisor: sup }));
    const created = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "metrics" });
    key = created.key;
    const predict = (program: string, input: unknown) => callApi(server.url, "POST", `/api/v1/programs/${program}/predict`, { key, body: { input } });
    bodyOf(await predict("qa", QA), PredictResponseSchema);
    bodyOf(await predict("qa", { ...QA, question: "And the runtime?" }), PredictResponseSchema);
    await predict("broken", { question: "?" });
  });
  afterAll(async () => {
    await server?.close();
    await sup?.stop();
  });

  it("counts the last hour's runs, errors and latency percentiles, minute by minute", async () => {
    const m = bodyOf(await get(), OverviewMetricsSchema);
    expect(m.runs).toMatchObject({ total: 3, errors: 1, running: 0 });
    expect(m.runs.errorRate).toBeCloseTo(1 / 3);
    expect(m.runs.p50Ms).not.toBeNull();
    expect(m.runs.perMinute).toBeGreaterThan(0);
    expect(m.runs.p95Ms! >= m.runs.p50Ms!).toBe(true);
    expect(m.series).toHaveLength(60);
    expect(m.series.reduce((n, p) => n + p.runs, 0)).toBe(3);
    expect(m.series.reduce((n, p) => n + p.errors, 0)).toBe(1);
    expect(Date.parse(m.series[59]!.t)).toBeLessThanOrEqual(Date.parse(m.now));
    expect(Date.parse(m.series[0]!.t)).toBe(Date.parse(m.from));
  });

  it("sums today's spend and shows budgets with their spend and labels", async () => {
    const before = bodyOf(await get(), OverviewMetricsSchema);
    expect(before.spend.todayCalls).toBeGreaterThanOrEqual(2);
    expect(before.spend.todayUsd).toBeGreaterThanOrEqual(0);
    expect(before.spend.todayUnpricedCalls).toBe(0);
    // A call to a model with no price is counted apart (its cost is unknown, not $0); a call a budget refused was never sent.
    const call = (extra: { priceUnknown?: boolean; refused?: boolean; costUsd?: string }) =>
      t.prisma.lMCall.create({ data: { provider: "p", model: "house-model", costUsd: "0", latencyMs: 1, ...extra } });
    await call({ priceUnknown: true });
    await call({ refused: true, costUsd: "3" });
    const after = bodyOf(await get(), OverviewMetricsSchema);
    expect(after.spend).toMatchObject({ todayCalls: before.spend.todayCalls + 1, todayUnpricedCalls: 1, todayUsd: before.spend.todayUsd });
    const qa = await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } });
    await createBudget(t.prisma, { scope: "global", period: "day", limitUsd: 5 });
    await createBudget(t.prisma, { scope: "program", scopeId: qa.id, period: "month", limitUsd: 50 });
    const window = { scope: "global" as const, scopeId: "", period: "day" as const, windowStart: windowStartOf("day", new Date()) };
    // Creating the budget already opened its window with what was spent before it; set the window's spend outright.
    await t.prisma.spendLedger.upsert({ where: { scope_scopeId_period_windowStart: window }, create: { ...window, spentUsd: 1.25 }, update: { spentUsd: 1.25 } });
    const m = bodyOf(await get(), OverviewMetricsSchema);
    expect(m.spend.budgets).toEqual([
      expect.objectContaining({ scope: "global", period: "day", label: "All spending", limitUsd: 5, spentUsd: 1.25, exhausted: false }),
      expect.objectContaining({ scope: "program", period: "month", label: "program qa", limitUsd: 50 }),
    ]);
  });

  it("lists running optimizations with progress against their budget, and counts the supervision tree", async () => {
    const o = await createOptimization(t.prisma, { programName: "qa", optimizer: "random", budget: { lmCalls: 10 } });
    await setOptimizationStatus(t.prisma, o.id, { status: "running" });
    await t.prisma.optimization.update({ where: { id: o.id }, data: { lmCalls: 4, trialCount: 2 } });
    const done = await createOptimization(t.prisma, { programName: "qa", optimizer: "random" });
    await setOptimizationStatus(t.prisma, done.id, { status: "running" });
    await setOptimizationStatus(t.prisma, done.id, { status: "completed" });
    const m = bodyOf(await get(), OverviewMetricsSchema);
    expect(m.optimizations).toEqual([expect.objectContaining({ id: o.id, programName: "qa", status: "running", trials: 2, lmCalls: 4, progress: 0.4 })]);
    expect(m.supervision).toEqual({ available: true, supervisors: 1, children: 1, running: 1, restarts: 0 });
    expect(m.agents).toEqual({ total: 0, active: 0 });
  });

  it("needs a key or a session", async () => {
    errorOf(await callApi(server.url, "GET", "/api/v1/metrics/overview"), 401, "UNAUTHORIZED");
  });
});
