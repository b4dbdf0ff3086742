import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { AlertPageSchema, AlertSchema, AlertSettingsSchema, AlertWebhookTestSchema, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "../../schemas";
import { createApiKey, createBudget, createSession, createUser, raiseAlert } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

describe.each(BACKENDS)("alerts API and /metrics on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let hook: Server;
  let hookUrl: string;
  const received: unknown[] = [];
  let readKey: string;
  let admin: Record<string, string>;

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    readKey = (await createApiKey(t.prisma, { name: "scraper", scopes: ["read"] })).key;
    const user = await createUser(t.prisma, { name: "admin", email: "admin@example.com", password: "a long enough password", role: "admin" });
    const session = await createSession(t.prisma, user.id);
    admin = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(session.token)}; ${CSRF_COOKIE}=${session.csrfToken}`, [CSRF_HEADER]: session.csrfToken };
    hook = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString("utf8")));
      req.on("end", () => {
        received.push(JSON.parse(text));
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/slack`;
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((r) => (hook ? hook.close(() => r()) : r()));
  });

  it("keeps the settings to administrators, names a bad field, and tests the webhook", async () => {
    errorOf(await callApi(server.url, "GET", "/api/v1/alerts/settings", { key: readKey }), 401, "UNAUTHORIZED");
    expect(bodyOf(await callApi(server.url, "GET", "/api/v1/alerts/settings", { headers: admin }), AlertSettingsSchema)).toMatchObject({ webhookUrl: null, budgetThresholdsPercent: [50, 80, 100] });
    const bad = errorOf(await callApi(server.url, "POST", "/api/v1/alerts/settings", { headers: admin, body: { webhookUrl: "not a url", windowMinutes: 0 } }), 400, "INVALID_REQUEST");
    expect(bad.fields?.map((f) => f.field).sort()).toEqual(["webhookUrl", "windowMinutes"]);
    const saved = bodyOf(await callApi(server.url, "POST", "/api/v1/alerts/settings", { headers: admin, body: { webhookUrl: hookUrl, latencyP95Ms: 2000 } }), AlertSettingsSchema);
    expect(saved).toMatchObject({ webhookUrl: hookUrl, latencyP95Ms: 2000, errorRatePercent: 10 });
    expect(bodyOf(await callApi(server.url, "POST", "/api/v1/alerts/settings/test", { headers: admin, body: {} }), AlertWebhookTestSchema)).toEqual({ delivered: true, attempts: 1, error: null });
    expect(received.at(-1)).toMatchObject({ text: "[DSPEx warning] Test alert from DSPEx" });
  });

  it("lists alerts newest first with the unacknowledged count, and acknowledges one", async () => {
    const older = await raiseAlert(t.prisma, { kind: "breaker", severity: "critical", title: "Breaker open: x", message: "m", details: { provider: "x" }, openKey: "breaker:x", delivery: "none", firedAt: new Date("2026-12-07T10:00:00Z") });
    await raiseAlert(t.prisma, { kind: "budget", severity: "warning", title: "Budget at 80%", message: "m", details: { threshold: 80 }, openKey: "budget:global::day:2026-12-07:80", delivery: "none", firedAt: new Date("2026-12-07T11:00:00Z") });
    expect(await raiseAlert(t.prisma, { kind: "breaker", severity: "critical", title: "again", message: "m", details: {}, openKey: "breaker:x", delivery: "none" })).toBeNull();
    const page = bodyOf(await callApi(server.url, "GET", "/api/v1/alerts?status=open", { key: readKey }), AlertPageSchema);
    expect(page.items.map((a) => a.title)).toEqual(["Budget at 80%", "Breaker open: x"]);
    expect(page.unacknowledged).toBe(2);
    errorOf(await callApi(server.url, "GET", "/api/v1/alerts?status=closed", { key: readKey }), 400, "INVALID_REQUEST");
    errorOf(await callApi(server.url, "POST", `/api/v1/alerts/${older!.id}/acknowledge`, { key: readKey, body: {} }), 403, "FORBIDDEN");
    const acked = bodyOf(await callApi(server.url, "POST", `/api/v1/alerts/${older!.id}/acknowledge`, { headers: admin, body: {} }), AlertSchema);
    expect(acked.acknowledgedAt).not.toBeNull();
    errorOf(await callApi(server.url, "POST", "/api/v1/alerts/nope/acknowledge", { headers: admin, body: {} }), 404, "NOT_FOUND");
    expect(bodyOf(await callApi(server.url, "GET", "/api/v1/alerts?status=open", { key: readKey }), AlertPageSchema).unacknowledged).toBe(1);
  });

  it("serves the same numbers to Prometheus in its text format", async () => {
    await createBudget(t.prisma, { scope: "global", period: "month", limitUsd: 40 });
    const res = await callApi(server.url, "GET", "/api/v1/metrics", { key: readKey });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toContain("# TYPE dspex_runs_window gauge");
    expect(text).toMatch(/^dspex_budget_limit_usd\{scope="global",scope_id="",period="month"\} 40$/m);
    expect(text).toMatch(/^dspex_budget_used_ratio\{scope="global",scope_id="",period="month"\} 0$/m);
    expect(text).toMatch(/^dspex_alerts_raised\{kind="breaker"\} 1$/m);
    expect(text).toMatch(/^dspex_alerts_unacknowledged\{kind="budget"\} 1$/m);
    expect(text).toMatch(/^dspex_alert_window_seconds 300$/m);
    errorOf(await callApi(server.url, "GET", "/api/v1/metrics"), 401, "UNAUTHORIZED");
  });

  it("documents every alert route in the OpenAPI document", async () => {
    const doc = JSON.parse((await callApi(server.url, "GET", "/api/v1/openapi.json")).text) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.paths["/api/v1/alerts"]?.get?.operationId).toBe("listAlerts");
    expect(doc.paths["/api/v1/alerts/{id}/acknowledge"]?.post?.operationId).toBe("acknowledgeAlert");
    expect(doc.paths["/api/v1/alerts/settings"]?.post?.operationId).toBe("updateAlertSettings");
    expect(doc.paths["/api/v1/metrics"]?.get?.operationId).toBe("prometheusMetrics");
  });
});
