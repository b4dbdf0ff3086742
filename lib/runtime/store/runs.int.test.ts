import { beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { costReport, createApiKey, getTrace, listRuns, upsertProgram } from "./index";
import { useTestDatabase } from "./testing";

const at = (iso: string) => new Date(iso);

describe.each(BACKENDS)("runs, traces and costs on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const p = t.prisma;
    const qa = await upsertProgram(p, { name: "qa", description: "", source: "demo:qa", signature: null });
    const cls = await upsertProgram(p, { name: "classify", description: "", source: "demo:classify", signature: null });
    const v1 = await p.programVersion.create({ data: { programId: qa.id, number: 1, config: {}, authorKind: "system" } });
    const key = await createApiKey(p, { name: "web" });
    Object.assign(ids, { qa: qa.id, cls: cls.id, v1: v1.id, key: key.apiKey.id });
    const run = (id: string, data: Record<string, unknown>) =>
      p.run.create({ data: { id, traceId: `t-${id}`, source: "api", status: "ok", startedAt: at("2026-04-01T10:00:00Z"), ...data } as never });
    await run("r1", { programId: qa.id, programVersionId: v1.id, apiKeyId: key.apiKey.id, startedAt: at("2026-04-01T10:00:00Z"), costUsd: "0.5" });
    await run("r2", { programId: qa.id, status: "error", error: "boom", startedAt: at("2026-04-02T10:00:00Z") });
    await run("r3", { programId: cls.id, apiKeyId: key.apiKey.id, startedAt: at("2026-04-03T10:00:00Z") });
    await run("r4", { programId: cls.id, source: "playground", startedAt: at("2026-04-04T10:00:00Z") });
    await run("r5", { startedAt: at("2026-04-05T10:00:00Z"), status: "running" });

    // A trace: root -> (step-a -> leaf), step-b; a span whose parent is missing; an LM call outside any span.
    const span = (id: string, parentId: string | null, name: string, startedAt: string, endedAt?: string) =>
      p.span.create({ data: { id, runId: "r1", parentId, name, kind: "module", status: "ok", startedAt: at(startedAt), endedAt: endedAt ? at(endedAt) : null, path: name } });
    await span("s-root", null, "program", "2026-04-01T10:00:00.000Z", "2026-04-01T10:00:01.000Z");
    await span("s-b", "s-root", "step-b", "2026-04-01T10:00:00.600Z");
    await span("s-a", "s-root", "step-a", "2026-04-01T10:00:00.100Z", "2026-04-01T10:00:00.500Z");
    await span("s-leaf", "s-a", "leaf", "2026-04-01T10:00:00.200Z");
    await span("s-orphan", "s-gone", "orphan", "2026-04-01T10:00:00.300Z");

    const call = (data: Record<string, unknown>) => p.lMCall.create({ data: { provider: "demo", model: "dspex-demo-1", latencyMs: 10, ...data } as never });
    await call({ runId: "r1", spanId: "s-a", programId: qa.id, apiKeyId: key.apiKey.id, costUsd: "0.000000001", inputTokens: 10, outputTokens: 2, request: { messages: [{ role: "user", content: "exact words" }] }, response: { text: "hi" }, createdAt: at("2026-04-01T10:00:00.150Z") });
    await call({ runId: "r1", programId: qa.id, costUsd: "0.25", model: "gpt-4o", inputTokens: 100, cachedInputTokens: 40, createdAt: at("2026-04-01T23:59:59.999Z") });
    await call({ programId: cls.id, apiKeyId: key.apiKey.id, costUsd: "1.125", model: "gpt-4o", outputTokens: 7, reasoningTokens: 3, createdAt: at("2026-04-02T00:00:00Z") });
    await call({ costUsd: "0.0625", createdAt: at("2026-04-03T12:00:00Z") });
  });

  it("pages runs newest first and filters by program, version, status, source, API key and time", async () => {
    const all = await listRuns(t.prisma, {});
    expect(all.items.map((r) => r.id)).toEqual(["r5", "r4", "r3", "r2", "r1"]);
    expect(all.total).toBe(5);
    expect((await listRuns(t.prisma, { limit: 2, page: 2 })).items.map((r) => r.id)).toEqual(["r3", "r2"]);
    expect((await listRuns(t.prisma, { programName: "qa" })).items.map((r) => r.id)).toEqual(["r2", "r1"]);
    expect((await listRuns(t.prisma, { programName: "unknown" })).total).toBe(0);
    expect((await listRuns(t.prisma, { versionId: ids.v1 })).items.map((r) => r.id)).toEqual(["r1"]);
    expect((await listRuns(t.prisma, { status: "error" })).items.map((r) => r.id)).toEqual(["r2"]);
    expect((await listRuns(t.prisma, { source: "playground" })).items.map((r) => r.id)).toEqual(["r4"]);
    expect((await listRuns(t.prisma, { apiKeyId: ids.key })).items.map((r) => r.id)).toEqual(["r3", "r1"]);
    // Query strings parse as they come from a URL.
    const range = await listRuns(t.prisma, { from: "2026-04-02T00:00:00Z" as never, to: "2026-04-04T10:00:00Z" as never });
    expect(range.items.map((r) => r.id)).toEqual(["r3", "r2"]);
    const r1 = (await listRuns(t.prisma, { versionId: ids.v1 })).items[0]!;
    expect(r1).toMatchObject({ program: { id: ids.qa, name: "qa" }, version: { id: ids.v1, number: 1 }, apiKey: { id: ids.key, name: "web" }, costUsd: 0.5 });
    await expect(listRuns(t.prisma, { status: "lost" as never, limit: 0 })).rejects.toMatchObject({ code: "INVALID", issues: [{ field: "limit" }, { field: "status" }] });
    await expect(listRuns(t.prisma, { from: "2026-05-01" as never, to: "2026-04-01" as never })).rejects.toMatchObject({ code: "INVALID", issues: [{ field: "from" }] });
  });

  it("marks a run whose LM calls include one to a model with no known price as price unknown", async () => {
    const p = t.prisma;
    await p.run.create({ data: { id: "r-unpriced", traceId: "t-r-unpriced", source: "api", status: "ok", startedAt: at("2026-03-01T10:00:00Z"), costUsd: "0.001" } });
    try {
      await p.lMCall.create({ data: { runId: "r-unpriced", provider: "local", model: "house-model", latencyMs: 5, priceUnknown: true, createdAt: at("2026-03-01T10:00:00Z") } });
      const runs = (await listRuns(p, { to: "2026-04-01T00:00:00Z" as never })).items;
      expect(runs.map((r) => [r.id, r.priceUnknown])).toEqual([["r-unpriced", true]]);
      expect((await listRuns(p, { versionId: ids.v1 })).items[0]!.priceUnknown).toBe(false);
    } finally {
      await p.run.delete({ where: { id: "r-unpriced" } });
    }
  });

  it("builds a run's trace: the span tree in start order with its LM calls and exact messages", async () => {
    const trace = await getTrace(t.prisma, "t-r1");
    expect(trace.run).toMatchObject({ id: "r1", traceId: "t-r1", program: { name: "qa" } });
    const shape = (nodes: typeof trace.spans): unknown => nodes.map((n) => [n.name, shape(n.children)]);
    expect(shape(trace.spans)).toEqual([
      ["program", [["step-a", [["leaf", []]]], ["step-b", []]]],
      ["orphan", []],
    ]);
    const stepA = trace.spans[0]!.children[0]!;
    expect(stepA.durationMs).toBe(400);
    expect(stepA.lmCalls).toHaveLength(1);
    expect(stepA.lmCalls[0]!.request).toEqual({ messages: [{ role: "user", content: "exact words" }] });
    expect(stepA.lmCalls[0]!.costUsd).toBe(0.000000001);
    expect(trace.lmCalls.map((c) => c.spanId)).toEqual(["s-a", null]);
    expect((await getTrace(t.prisma, "r1")).run.id).toBe("r1");
    await expect(getTrace(t.prisma, "nope")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("sums spend by model, program, API key and day, exactly", async () => {
    const byModel = await costReport(t.prisma, { groupBy: "model" });
    expect(byModel.total).toMatchObject({ costUsd: 1.437500001, calls: 4, inputTokens: 110, cachedInputTokens: 40, outputTokens: 9, reasoningTokens: 3 });
    expect(byModel.rows.map((r) => [r.key, r.costUsd, r.calls])).toEqual([
      ["gpt-4o", 1.375, 2],
      ["dspex-demo-1", 0.062500001, 2],
    ]);
    const byProgram = await costReport(t.prisma, { groupBy: "program" });
    expect(byProgram.rows.map((r) => [r.label, r.costUsd])).toEqual([
      ["classify", 1.125],
      ["qa", 0.250000001],
      ["(none)", 0.0625],
    ]);
    const byKey = await costReport(t.prisma, { groupBy: "apiKey" });
    expect(byKey.rows.map((r) => [r.key, r.costUsd])).toEqual([
      [ids.key, 1.125000001],
      [null, 0.3125],
    ]);
    expect(byKey.rows[0]!.label).toMatch(/^web \(dspx_live_/);
    const byDay = await costReport(t.prisma, { groupBy: "day" });
    expect(byDay.rows.map((r) => [r.key, r.costUsd])).toEqual([
      ["2026-04-01", 0.250000001],
      ["2026-04-02", 1.125],
      ["2026-04-03", 0.0625],
    ]);
    // Filters and the range: [from, to).
    const ranged = await costReport(t.prisma, { groupBy: "day", from: at("2026-04-01T23:59:59.999Z"), to: at("2026-04-03T12:00:00Z"), programName: "qa" });
    expect(ranged.rows.map((r) => [r.key, r.costUsd])).toEqual([["2026-04-01", 0.25]]);
    expect((await costReport(t.prisma, { groupBy: "model", model: "gpt-4o", apiKeyId: ids.key })).total.costUsd).toBe(1.125);
    expect((await costReport(t.prisma, { groupBy: "day", limit: 2 })).rows.map((r) => r.key)).toEqual(["2026-04-02", "2026-04-03"]);
    await expect(costReport(t.prisma, { groupBy: "week" as never })).rejects.toMatchObject({ code: "INVALID", issues: [{ field: "groupBy" }] });
  });

  it("splits spend by provider and model, counts unpriced calls, and leaves calls a budget refused out", async () => {
    const day = new Date("2027-01-05T10:00:00Z");
    const call = (provider: string, model: string, costUsd: string, extra: { priceUnknown?: boolean; refused?: boolean } = {}) =>
      t.prisma.lMCall.create({ data: { provider, model, costUsd, latencyMs: 5, inputTokens: 10, outputTokens: 2, createdAt: day, ...extra } });
    await call("openai-standin", "gpt-4o-mini", "0.002");
    await call("gateway", "gpt-4o-mini", "0.003");
    await call("anthropic-standin", "claude-3-5-haiku-20241022", "0.01");
    await call("anthropic-standin", "house-claude", "0", { priceUnknown: true });
    await call("anthropic-standin", "house-claude", "0", { refused: true });
    await call("openai-standin", "gpt-4o-mini", "0", { refused: true });
    const range = { from: new Date("2027-01-05T00:00:00Z"), to: new Date("2027-01-06T00:00:00Z") };
    const byProvider = await costReport(t.prisma, { groupBy: "provider", ...range });
    expect(byProvider.total).toMatchObject({ calls: 4, costUsd: 0.015, unpricedCalls: 1, refusedCalls: 2 });
    expect(byProvider.rows.map((r) => [r.key, r.costUsd, r.calls, r.unpricedCalls])).toEqual([
      ["anthropic-standin", 0.01, 2, 1],
      ["gateway", 0.003, 1, 0],
      ["openai-standin", 0.002, 1, 0],
    ]);
    const byModel = await costReport(t.prisma, { groupBy: "model", ...range });
    expect(byModel.rows.map((r) => [r.provider, r.key, r.calls, r.unpricedCalls])).toEqual([
      ["anthropic-standin", "claude-3-5-haiku-20241022", 1, 0],
      ["gateway", "gpt-4o-mini", 1, 0],
      ["openai-standin", "gpt-4o-mini", 1, 0],
      ["anthropic-standin", "house-claude", 1, 1],
    ]);
  });
});

describe.each(BACKENDS)("run queries at 100k runs on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const N = 100_000;

  beforeAll(async () => {
    const p = t.prisma;
    const program = await upsertProgram(p, { name: "busy", description: "", source: "test", signature: null });
    const key = await createApiKey(p, { name: "load" });
    // 100k runs over 100 days and one LM call each: every 10th an error, every 4th with the API key.
    await p.$executeRaw`
      INSERT INTO "Run" ("id", "traceId", "programId", "apiKeyId", "source", "status", "startedAt", "costUsd", "latencyMs")
      SELECT 'run-' || i, 'trace-' || i, ${program.id}, CASE WHEN i % 4 = 0 THEN ${key.apiKey.id} END, 'api'::"RunSource",
             (CASE WHEN i % 10 = 0 THEN 'error' ELSE 'ok' END)::"RunStatus",
             TIMESTAMP '2026-01-01' + (i * INTERVAL '86 seconds') + INTERVAL '1 millisecond', 0.001, 100
      FROM generate_series(1, ${N}) AS i`;
    await p.$executeRaw`
      INSERT INTO "LMCall" ("id", "runId", "programId", "apiKeyId", "provider", "model", "inputTokens", "outputTokens", "costUsd", "latencyMs", "createdAt")
      SELECT 'call-' || i, 'run-' || i, ${program.id}, CASE WHEN i % 4 = 0 THEN ${key.apiKey.id} END, 'demo', 'model-' || (i % 5), 100, 10, 0.001, 100,
             TIMESTAMP '2026-01-01' + (i * INTERVAL '86 seconds') + INTERVAL '1 millisecond'
      FROM generate_series(1, ${N}) AS i`;
    await p.$executeRawUnsafe(`ANALYZE "Run"`);
    await p.$executeRawUnsafe(`ANALYZE "LMCall"`);
    ids.key = key.apiKey.id;
  }, 120_000);
  const ids: Record<string, string> = {};

  const timed = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const start = performance.now();
    const out = await f();
    return [out, performance.now() - start];
  };

  it("pages filtered runs and sums costs in SQL, fast", async () => {
    await listRuns(t.prisma, {}); // warm up
    // What any approach that reads every row into JS pays: the yardstick, measured on this machine now.
    const [all, msFetchAll] = await timed(() => t.prisma.lMCall.findMany({ select: { model: true, costUsd: true, createdAt: true } }));
    expect(all).toHaveLength(N);
    const fast = (ms: number) => {
      expect(ms).toBeLessThan(msFetchAll / 2);
      expect(ms).toBeLessThan(5000);
    };
    const [errors, msErrors] = await timed(() => listRuns(t.prisma, { programName: "busy", status: "error", page: 3, limit: 50 }));
    expect(errors.total).toBe(N / 10);
    expect(errors.items).toHaveLength(50);
    expect(errors.items.every((r) => r.status === "error")).toBe(true);
    const [ranged, msRanged] = await timed(() => listRuns(t.prisma, { apiKeyId: ids.key, from: at("2026-02-01T00:00:00Z"), to: at("2026-02-02T00:00:00Z") }));
    expect(ranged.items.every((r) => r.apiKey?.id === ids.key && r.startedAt.startsWith("2026-02-01"))).toBe(true);
    expect(ranged.total).toBeGreaterThan(200);

    for (const groupBy of ["model", "program", "apiKey", "day"] as const) {
      const [report, ms] = await timed(() => costReport(t.prisma, { groupBy }));
      expect(report.total.calls).toBe(N);
      expect(report.total.costUsd).toBeCloseTo(N * 0.001, 6);
      // 5 models, 1 program, with and without the key, 100 days: every call is in one group.
      expect(report.rows.reduce((s, r) => s + r.calls, 0)).toBe(N);
      fast(ms);
    }
    expect((await costReport(t.prisma, { groupBy: "day", limit: 1000 })).rows).toHaveLength(100);
    expect((await costReport(t.prisma, { groupBy: "model" })).rows.map((r) => r.calls)).toEqual([N / 5, N / 5, N / 5, N / 5, N / 5]);
    fast(msErrors);
    fast(msRanged);
  });
});
