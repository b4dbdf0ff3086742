import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { BudgetDeletedSchema, BudgetPageSchema, BudgetSchema, BudgetTargetsSchema, CostSummarySchema, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "../../schemas";
import { createFirstAdmin, createSession, createUser } from "../store";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { createServingApi } from "./api";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

// 2026-05-20 12:00 UTC: 20 days of May gone, 11 left after today.
const NOW = Date.UTC(2026, 4, 20, 12);
const at = (daysAgo: number, hour = 10) => new Date(Date.UTC(2026, 4, 20 - daysAgo, hour));

describe.each(BACKENDS)("the costs and budgets API on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let key: { key: string; id: string };
  let admin: Record<string, string>;
  let member: Record<string, string>;
  let qaId: string;
  let refreshes = 0;
  let flushes = 0;
  const get = (path: string) => callApi(server.url, "GET", path, { key: key.key });
  const asAdmin = (method: string, path: string, body?: unknown) => callApi(server.url, method, path, { headers: admin, ...(body !== undefined && { body }) });

  const sessionHeaders = async (userId: string) => {
    const s = await createSession(t.prisma, userId);
    return { cookie: `${SESSION_COOKIE}=${s.token}; ${CSRF_COOKIE}=${s.csrfToken}`, [CSRF_HEADER]: s.csrfToken };
  };

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma, now: () => NOW });
    server = await startTestServer(createServingApi({ ...s.deps, refreshBudgets: () => refreshes++, flushEvents: async () => void flushes++ }));
    const created = await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "ops" });
    key = { key: created.key, id: created.apiKey.id };
    admin = await sessionHeaders((await createFirstAdmin(t.prisma, { name: "Ada", email: "ada@example.com", password: "correct horse battery" })).id);
    member = await sessionHeaders((await createUser(t.prisma, { name: "Bo", email: "bo@example.com", password: "correct horse battery", role: "maintainer" })).id);
    qaId = (await t.prisma.program.findUniqueOrThrow({ where: { name: "qa" } })).id;
    const call = (model: string, costUsd: number, createdAt: Date, extra: { programId?: string; apiKeyId?: string } = {}) => ({
      provider: "test",
      model,
      costUsd,
      createdAt,
      latencyMs: 5,
      inputTokens: 100,
      outputTokens: 10,
      ...extra,
    });
    await t.prisma.lMCall.createMany({
      data: [
        call("gpt-big", 1.5, at(0), { programId: qaId, apiKeyId: key.id }),
        call("gpt-big", 0.5, at(2), { programId: qaId }),
        call("gpt-small", 0.25, at(2)),
        call("gpt-small", 0.7, at(10)), // in May, outside the last 7 days
        call("gpt-small", 9, at(40)), // April: outside 30 days
      ],
    });
  });
  afterAll(() => server?.close());

  it("sums the last 7 days by model, program, API key and day, zero-filled, stacked by model", async () => {
    const r = bodyOf(await get("/api/v1/costs?days=7"), CostSummarySchema);
    expect(flushes).toBeGreaterThan(0); // pending events are committed before the read
    expect(r.days).toBe(7);
    expect(r.from).toBe("2026-05-14T00:00:00.000Z");
    expect(r.total).toMatchObject({ costUsd: 2.25, calls: 3, inputTokens: 300, outputTokens: 30 });
    expect(r.byModel.map((m) => [m.label, m.costUsd])).toEqual([["gpt-big", 2], ["gpt-small", 0.25]]);
    expect(r.byProgram.map((p) => [p.label, p.costUsd])).toEqual([["qa", 2], ["(none)", 0.25]]);
    expect(r.byApiKey[0]).toMatchObject({ key: key.id, costUsd: 1.5 });
    expect(r.daily.map((d) => d.day)).toEqual(["2026-05-14", "2026-05-15", "2026-05-16", "2026-05-17", "2026-05-18", "2026-05-19", "2026-05-20"]);
    expect(r.daily[4]).toEqual({ day: "2026-05-18", costUsd: 0.75, calls: 2, byModel: { "gpt-big": 0.5, "gpt-small": 0.25 } });
    expect(r.daily[0]!.byModel).toEqual({ "gpt-big": 0, "gpt-small": 0 });
    expect(r.models).toEqual(["gpt-big", "gpt-small"]);
  });

  it("forecasts the month end from the month so far and the last 7 days' mean, and filters", async () => {
    const r = bodyOf(await get("/api/v1/costs?days=30"), CostSummarySchema);
    expect(r.total.costUsd).toBe(2.95);
    // May so far 2.95; last 7 days 2.25 / 7 per day; 11 days after the 20th.
    expect(r.forecast).toMatchObject({ monthToDateUsd: 2.95, daysLeft: 11 });
    expect(r.forecast.dailyMeanUsd).toBeCloseTo(2.25 / 7, 8);
    expect(r.forecast.monthEndUsd).toBeCloseTo(2.95 + (2.25 / 7) * 11, 6);
    expect(r.forecast.method).toMatch(/mean daily spend of the last 7 days/);
    expect(bodyOf(await get("/api/v1/costs?days=90&programName=qa"), CostSummarySchema).total.costUsd).toBe(2);
    expect(bodyOf(await get("/api/v1/costs?days=90&model=gpt-small"), CostSummarySchema).total.costUsd).toBe(9.95);
    expect(errorOf(await get("/api/v1/costs?days=10"), 400, "INVALID_REQUEST").fields).toEqual([{ field: "days", message: "must be 7, 30 or 90" }]);
  });

  it("exports the same range as a CSV attachment", async () => {
    const reply = await get("/api/v1/costs/export.csv?days=7&groupBy=model");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(reply.headers.get("content-disposition")).toBe('attachment; filename="dspex-costs-by-model-7d-2026-05-20.csv"');
    expect(reply.text.split("\r\n")).toEqual([
      "group,key,label,cost_usd,calls,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,provider,unpriced_calls",
      "model,gpt-big,gpt-big,2,2,200,0,0,20,0,test,0",
      "model,gpt-small,gpt-small,0.25,1,100,0,0,10,0,test,0",
      "",
    ]);
    const byDay = (await get("/api/v1/costs/export.csv?days=30")).text.split("\r\n");
    expect(byDay[1]).toBe("day,2026-05-10,2026-05-10,0.7,1,100,0,0,10,0,,0");
    errorOf(await get("/api/v1/costs/export.csv?groupBy=week"), 400, "INVALID_REQUEST");
  });

  it("lets administrators create, change and delete budgets; the list shows spend and a readable scope", async () => {
    const invalid = errorOf(await asAdmin("POST", "/api/v1/budgets", { scope: "global", period: "month", limitUsd: "-5" }), 400, "INVALID_REQUEST");
    expect(invalid.fields?.map((f) => f.field)).toEqual(["limitUsd"]);
    const noTarget = errorOf(await asAdmin("POST", "/api/v1/budgets", { scope: "program", period: "day", limitUsd: 5 }), 400, "INVALID_REQUEST");
    expect(noTarget.fields?.map((f) => f.field)).toEqual(["scopeId"]);

    const global = bodyOf(await asAdmin("POST", "/api/v1/budgets", { scope: "global", period: "month", limitUsd: "50" }), BudgetSchema, 201);
    // A new budget counts what was spent earlier in its window: May's calls so far.
    expect(global).toMatchObject({ label: "All spending", limitUsd: 50, spentUsd: 2.95, exhausted: false });
    const program = bodyOf(await asAdmin("POST", "/api/v1/budgets", { scope: "program", scopeId: qaId, period: "day", limitUsd: 2.5 }), BudgetSchema, 201);
    expect(program.label).toBe("qa");
    errorOf(await asAdmin("POST", "/api/v1/budgets", { scope: "global", period: "month", limitUsd: "10" }), 409, "CONFLICT");
    expect(refreshes).toBe(2);

    const list = bodyOf(await get("/api/v1/budgets"), BudgetPageSchema);
    expect(list.items.map((b) => [b.scope, b.label, b.limitUsd])).toEqual([["global", "All spending", 50], ["program", "qa", 2.5]]);

    expect(bodyOf(await asAdmin("POST", `/api/v1/budgets/${global.id}`, { limitUsd: "75.5" }), BudgetSchema).limitUsd).toBe(75.5);
    bodyOf(await asAdmin("POST", `/api/v1/budgets/${program.id}/delete`), BudgetDeletedSchema);
    errorOf(await asAdmin("POST", `/api/v1/budgets/${program.id}/delete`), 404, "NOT_FOUND");
    expect(refreshes).toBe(4);
    expect(bodyOf(await get("/api/v1/budgets"), BudgetPageSchema).total).toBe(1);
  });

  it("refuses budget changes to API keys and members; offers the targets to pick from", async () => {
    errorOf(await callApi(server.url, "POST", "/api/v1/budgets", { key: key.key, body: { scope: "global", period: "day", limitUsd: 1 } }), 401, "UNAUTHORIZED");
    errorOf(await callApi(server.url, "POST", "/api/v1/budgets", { headers: member, body: { scope: "global", period: "day", limitUsd: 1 } }), 403, "FORBIDDEN");
    errorOf(await callApi(server.url, "POST", "/api/v1/budgets", { headers: { cookie: admin.cookie! }, body: { scope: "global", period: "day", limitUsd: 1 } }), 403, "FORBIDDEN");
    const targets = bodyOf(await get("/api/v1/budgets/targets"), BudgetTargetsSchema);
    expect(targets.programs.map((p) => p.name)).toContain("qa");
    expect(targets.apiKeys).toEqual([{ id: key.id, name: "ops", prefix: expect.any(String) }]);
  });
});
