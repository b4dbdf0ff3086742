// Backoff: restarts wait initialMs·factor^(n-1) (capped, jittered), per child, within the period.
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { probeSet } from "../testing";
import { BackoffSchema, backoffDelay, startSupervisor } from "./index";
// RestartWindow is internal (not exported); its unit test reaches into the file.
import { RestartWindow } from "./restart-window";

const backoff = (b: object) => BackoffSchema.parse(b);

describe("backoffDelay", () => {
  it("grows by factor from initialMs and stops at maxMs", () => {
    const b = backoff({ initialMs: 100, maxMs: 1000, factor: 2 });
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(b, n, Math.random))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("spreads by ±jitter using the injected random source, never above maxMs", () => {
    const b = backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 });
    expect(backoffDelay(b, 1, () => 0)).toBe(50);
    expect(backoffDelay(b, 1, () => 0.5)).toBe(100);
    expect(backoffDelay(b, 1, () => 0.999999)).toBeCloseTo(150, 3);
    expect(backoffDelay(b, 4, () => 0.999999)).toBe(1000);
  });

  it("is 0 without a backoff", () => {
    expect(backoffDelay(undefined, 5, Math.random)).toBe(0);
  });
});

describe("restarts with backoff", () => {
  async function setup(strategy: "one_for_one" | "one_for_all" = "one_for_one") {
    const clock = new FakeClock();
    const set = probeSet("a", "b");
    const sup = await startSupervisor({
      clock,
      flags: { strategy, intensity: 10, periodMs: 10_000, backoff: { initialMs: 100, maxMs: 1000, factor: 3 } },
      children: [
        { id: "a", start: set.probe.a.start },
        { id: "b", start: set.probe.b.start },
      ],
    });
    set.log.length = 0;
    return { clock, sup, ...set };
  }

  it("waits initialMs, then initialMs·factor for the next crash of the same child", async () => {
    const { clock, sup, probe } = await setup();
    probe.b.crash();
    await clock.advance(99);
    expect(probe.b.starts).toBe(1);
    expect(sup.snapshot().children[1]!.state).toBe("restarting");
    await clock.advance(1);
    expect(probe.b.starts).toBe(2);
    expect(sup.snapshot().children[1]!.state).toBe("running");
    probe.b.crash();
    await clock.advance(299);
    expect(probe.b.starts).toBe(2);
    await clock.advance(1);
    expect(probe.b.starts).toBe(3);
    await sup.stop();
  });

  it("counts each child's own restarts: another child's first crash waits initialMs", async () => {
    const { clock, sup, probe } = await setup();
    probe.b.crash();
    await clock.advance(100);
    probe.a.crash();
    await clock.advance(100);
    expect(probe.a.starts).toBe(2);
    await sup.stop();
  });

  it("returns to initialMs once the child's restarts have left the period", async () => {
    const { clock, sup, probe } = await setup();
    probe.b.crash();
    await clock.advance(100);
    await clock.advance(10_000);
    probe.b.crash();
    await clock.advance(100);
    expect(probe.b.starts).toBe(3);
    await sup.stop();
  });

  it("one_for_all stops the siblings at once and starts the group after the delay", async () => {
    const { clock, sup, log, probe } = await setup("one_for_all");
    probe.b.crash();
    await flushPromises();
    expect(log).toEqual(["stop:a"]);
    expect(sup.snapshot().children.map((c) => c.state)).toEqual(["restarting", "restarting"]);
    await clock.advance(100);
    expect(log).toEqual(["stop:a", "start:a", "start:b"]);
    await sup.stop();
  });

  it("a stop during the wait cancels the pending restart", async () => {
    const { clock, sup, log, probe } = await setup();
    probe.b.crash();
    await flushPromises();
    await sup.stop();
    expect(clock.pending()).toBe(0);
    await clock.advance(1000);
    expect(log).toEqual(["stop:a"]);
    expect(sup.snapshot().children.map((c) => c.state)).toEqual(["stopped", "stopped"]);
  });

  it("giving up cancels the restarts still waiting for their backoff", async () => {
    const clock = new FakeClock();
    const { probe } = probeSet("a", "b");
    const sup = await startSupervisor({
      clock,
      flags: { intensity: 1, backoff: { initialMs: 1000 } },
      children: [
        { id: "a", start: probe.a.start },
        { id: "b", start: probe.b.start },
      ],
    });
    probe.a.crash();
    await flushPromises();
    expect(clock.pending()).toBe(1);
    probe.b.crash();
    await flushPromises();
    expect(clock.pending()).toBe(0);
    expect((await sup.exit).kind).toBe("error");
    await clock.advance(5000);
    expect(probe.a.starts + probe.b.starts).toBe(2);
  });

  it("a start that fails during a restart is another crash: it waits the next backoff step", async () => {
    const { clock, sup, probe } = await setup();
    probe.b.failStarts = 2;
    probe.b.crash();
    await clock.advance(100);
    expect(probe.b.starts).toBe(2);
    await clock.advance(299);
    expect(probe.b.starts).toBe(2);
    await clock.advance(1);
    expect(probe.b.starts).toBe(3);
    await clock.advance(900);
    expect(probe.b.starts).toBe(4);
    expect(sup.snapshot().children[1]).toMatchObject({ state: "running", restarts: 3, lastError: "Error: start failed" });
    expect(sup.snapshot().restartsInPeriod).toBe(3);
    await sup.stop();
  });
});

describe("RestartWindow", () => {
  it("counts per child and forgets entries exactly periodMs old", () => {
    const w = new RestartWindow(1000);
    w.record(0, "a");
    w.record(100, "b");
    w.record(200, "a");
    expect([w.count(200), w.countFor(200, "a"), w.countFor(200, "b")]).toEqual([3, 2, 1]);
    expect([w.count(1000), w.countFor(1000, "a")]).toEqual([2, 1]);
    expect([w.count(1200), w.countFor(1200, "a"), w.countFor(1200, "b")]).toEqual([0, 0, 0]);
    for (let t = 2000; t < 2200; t++) w.record(t, "c");
    expect([w.count(2999), w.countFor(2999, "c")]).toEqual([200, 200]);
    expect(w.count(3100)).toBe(99);
  });
});
