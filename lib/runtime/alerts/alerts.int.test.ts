import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { createLogger } from "../../log";
import type { ConfigChange, RuntimeEventPayload } from "../../schemas";
import { createChangeFeed, withChangeEvents, type ChangeFeed } from "../changes";
import { FakeClock } from "../clock";
import { EventBus } from "../events";
import { createStore, InvalidInputError, type Store } from "../store";
import { useTestDatabase } from "../store/testing";
import { createAlertMonitor, type AlertMonitor } from "./index";

interface Hook {
  readonly url: string;
  readonly bodies: unknown[];
  /** The next answers' statuses (then 200). */
  fail: number[];
  close(): Promise<void>;
}

async function startHook(): Promise<Hook> {
  const bodies: unknown[] = [];
  const hook = { fail: [] as number[] } as { fail: number[] };
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString("utf8")));
    req.on("end", () => {
      const status = hook.fail.shift() ?? 200;
      if (status === 200) bodies.push(JSON.parse(text));
      res.writeHead(status).end(status === 200 ? "ok" : "busy");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return Object.assign(hook, {
    url: `http://127.0.0.1:${port}/hook`,
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  });
}

const AT = "2026-12-07T12:00:00.000Z";
const budget = (spentUsd: number, limitUsd: number, exhausted = false): RuntimeEventPayload<"budget:status"> => ({ scope: "global", scopeId: "", period: "day", limitUsd, spentUsd, exhausted, at: AT });

describe.each(BACKENDS)("alerts on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let store: Store;
  let feed: ChangeFeed;
  let hook: Hook;
  let bus: EventBus;
  let clock: FakeClock;
  let monitor: AlertMonitor;
  const changes: ConfigChange[] = [];

  beforeAll(async () => {
    feed = await createChangeFeed({});
    feed.subscribe((c) => void changes.push(c));
    store = withChangeEvents(createStore(t.prisma), feed);
    hook = await startHook();
  });
  afterAll(async () => {
    await hook?.close();
    await feed?.close();
  });

  const start = async (settings: Parameters<Store["saveAlertSettings"]>[0]) => {
    await store.saveAlertSettings(settings);
    bus = new EventBus();
    clock = new FakeClock({ start: Date.parse(AT) });
    monitor = createAlertMonitor({ store, bus, clock, log: createLogger("silent", false), checkEveryMs: 60_000, webhook: { initialDelayMs: 1, timeoutMs: 10_000 } });
  };
  afterEach(async () => {
    await monitor?.stop();
    await t.prisma.alert.deleteMany({});
    hook.bodies.length = 0;
  });

  it("raises each budget threshold reached once per window, sends it to the webhook (retrying a 503) and tells every process", async () => {
    await start({ webhookUrl: hook.url });
    hook.fail = [503];
    changes.length = 0;
    await bus.emit("budget:status", budget(0.3, 1));
    await bus.emit("budget:status", budget(0.85, 1));
    await bus.emit("budget:status", budget(0.86, 1));
    await monitor.idle();

    const page = await store.listAlerts({ status: "open" });
    expect(page.unacknowledged).toBe(2);
    expect(page.items.map((a) => [a.kind, a.severity, a.details.threshold, a.delivery]).sort()).toEqual([
      ["budget", "warning", 50, "delivered"],
      ["budget", "warning", 80, "delivered"],
    ]);
    expect(page.items.map((a) => a.deliveryAttempts).sort()).toEqual([1, 2]);
    const texts = hook.bodies.map((b) => (b as { text: string }).text).sort();
    expect(texts).toEqual(["[DSPEx warning] Budget at 50%: All spending (per day)", "[DSPEx warning] Budget at 80%: All spending (per day)"]);
    expect(hook.bodies[0]).toMatchObject({ attachments: [{ color: expect.any(String), text: expect.stringContaining("of $1.00 today") }] });
    expect(changes.filter((c) => c.kind === "alert").length).toBeGreaterThanOrEqual(2);

    // The next day is a new window: the thresholds are raised again.
    await bus.emit("budget:status", { ...budget(0.9, 1), at: "2026-12-08T00:10:00.000Z" });
    await monitor.idle();
    expect((await store.listAlerts()).total).toBe(4);
  });

  it("counts a refused call as 100% and raises it as critical; acknowledging takes it off the badge", async () => {
    await start({ webhookUrl: null });
    await bus.emit("budget:status", budget(0.95, 1, true));
    await monitor.idle();
    const page = await store.listAlerts();
    const full = page.items.find((a) => a.details.threshold === 100)!;
    expect(full).toMatchObject({ severity: "critical", delivery: "none" });
    expect(full.message).toContain("refused a call");
    const done = await store.acknowledgeAlert(full.id, null);
    expect(done.acknowledgedAt).not.toBeNull();
    expect((await store.listAlerts({ status: "open" })).unacknowledged).toBe(page.unacknowledged - 1);
  });

  it("raises an open breaker once, resolves it when it closes, and raises it again when it reopens", async () => {
    await start({ webhookUrl: hook.url });
    const breaker = (state: "open" | "closed") => bus.emit("breaker:state", { provider: "openai", state, failures: 5, at: AT });
    await breaker("open");
    await breaker("open");
    await monitor.idle();
    expect((await store.listAlerts()).items.map((a) => [a.kind, a.resolvedAt])).toEqual([["breaker", null]]);
    await breaker("closed");
    await monitor.idle();
    expect((await store.listAlerts()).items[0]!.resolvedAt).not.toBeNull();
    await breaker("open");
    await monitor.idle();
    expect((await store.listAlerts()).total).toBe(2);
    expect(hook.bodies).toHaveLength(2);
  });

  it("raises a failed optimization with its reason", async () => {
    await start({});
    await bus.emit("optimization:status", { optimizationId: "0f9c2a7e-opt", status: "failed", trials: 3, bestScore: 0.5, baselineScore: 0.4, spentUsd: 0.02, lmCalls: 40, elapsedSeconds: 12, message: "provider refused the key", at: AT });
    await bus.emit("optimization:status", { optimizationId: "0f9c2a7e-opt", status: "completed", trials: 3, bestScore: 0.5, baselineScore: 0.4, spentUsd: 0.02, lmCalls: 40, elapsedSeconds: 12, message: null, at: AT });
    await monitor.idle();
    const [alert, ...rest] = (await store.listAlerts()).items;
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ kind: "optimization-failed", severity: "critical", details: { optimizationId: "0f9c2a7e-opt", reason: "provider refused the key" } });
  });

  it("raises the error rate and the p95 latency over the window when enough runs ended, and resolves them when they recover", async () => {
    await start({ errorRatePercent: 20, latencyP95Ms: 1000, windowMinutes: 5, minRuns: 4 });
    const now = clock.now();
    const runs = (n: number, status: "ok" | "error", latencyMs: number, minutesAgo: number) =>
      t.prisma.run.createMany({
        data: Array.from({ length: n }, () => ({ traceId: crypto.randomUUID(), source: "api" as const, status, startedAt: new Date(now - minutesAgo * 60_000), latencyMs })),
      });
    await runs(3, "error", 2000, 1);
    await monitor.checkRuns();
    expect((await store.listAlerts()).total).toBe(0); // 3 runs: fewer than minRuns
    await runs(5, "ok", 3000, 2);
    await runs(50, "error", 10, 30); // outside the window
    await clock.advance(60_000);
    await monitor.idle();
    const raised = (await store.listAlerts()).items;
    expect(raised.map((a) => a.kind).sort()).toEqual(["error-rate", "latency"]);
    expect(raised.find((a) => a.kind === "error-rate")!.details).toMatchObject({ runs: 8, failed: 3, errorRatePercent: 37.5 });
    await monitor.checkRuns();
    expect((await store.listAlerts()).total).toBe(2);

    await clock.advance(10 * 60_000);
    await monitor.idle();
    await monitor.checkRuns();
    expect((await store.listAlerts()).items.every((a) => a.resolvedAt !== null)).toBe(true);
  });

  it("refuses settings that do not fit, naming the field", async () => {
    await expect(store.saveAlertSettings({ webhookUrl: "ftp://example.com", budgetThresholdsPercent: [80, 120] })).rejects.toSatisfy((e: unknown) => {
      const fields = (e as InvalidInputError).issues.map((i) => i.field).sort();
      return e instanceof InvalidInputError && fields.join() === "budgetThresholdsPercent.1,webhookUrl";
    });
  });
});
