// Dynamic children: pools and jobs added, terminated, restarted and deleted at run time.
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { ChildProbe, probeSet } from "../testing";
import { ChildNotFoundError, ChildStartError, startSupervisor, task } from "./index";

describe("dynamic children", () => {
  it("startChild appends to the start order, so shutdown stops it first", async () => {
    const { log, probe } = probeSet("a", "b");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }] });
    const snap = await sup.startChild({ id: "b", start: probe.b.start });
    expect(snap).toMatchObject({ id: "b", type: "worker", restart: "permanent", state: "running", restarts: 0, startedAt: "2026-01-01T00:00:00.000Z" });
    await sup.stop();
    expect(log).toEqual(["start:a", "start:b", "stop:b", "stop:a"]);
  });

  it("a dynamic child is supervised like a static one (restarted after a crash)", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock() });
    await sup.startChild({ id: "a", start: probe.a.start });
    probe.a.crash();
    await flushPromises();
    expect(probe.a.starts).toBe(2);
    await sup.stop();
  });

  it("temporary jobs disappear once they finish or crash, so a job pool does not grow", async () => {
    const sup = await startSupervisor({ clock: new FakeClock() });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    for (let i = 0; i < 50; i++) {
      await sup.startChild({
        id: `job-${i}`,
        restart: "temporary",
        start: task(async () => {
          await gate;
          if (i % 2) throw new Error(`job ${i} failed`);
        }),
      });
    }
    expect(sup.snapshot().children).toHaveLength(50);
    release();
    await flushPromises();
    await flushPromises();
    expect(sup.snapshot().children).toEqual([]);
    await sup.stop();
  });

  it("refuses a duplicate id, naming the existing child's state and the fix", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }] });
    await expect(sup.startChild({ id: "a", start: probe.a.start })).rejects.toThrow(
      'Supervisor "root": startChild "a".id: is already a child (running); pick another id, or terminateChild + deleteChild it first',
    );
    expect(probe.a.starts).toBe(1);
    await sup.stop();
  });

  it("startChild rejects with CHILD_START_FAILED when start fails, and keeps nothing", async () => {
    const sup = await startSupervisor({ clock: new FakeClock() });
    const broken = new ChildProbe("x");
    broken.failStarts = 1;
    broken.startError = new Error("port in use");
    const error = await sup.startChild({ id: "x", start: broken.start }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildStartError);
    expect(error).toMatchObject({ code: "CHILD_START_FAILED", childId: "x", message: 'Supervisor "root": child "x" failed to start: Error: port in use' });
    expect((error as Error).cause).toBe(broken.startError);
    expect(sup.snapshot().children).toEqual([]);
    await sup.startChild({ id: "x", start: broken.start });
    await sup.stop();
  });

  it("terminateChild keeps the spec stopped: no restart, not even by a sibling's group restart", async () => {
    const { log, probe } = probeSet("a", "b");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      flags: { strategy: "one_for_all" },
      children: [{ id: "a", start: probe.a.start }, { id: "b", start: probe.b.start }],
    });
    expect(await sup.terminateChild("a")).toEqual({ abandoned: [] });
    expect(probe.a.stopReasons).toEqual(["terminate"]);
    probe.b.crash();
    await flushPromises();
    expect(log).toEqual(["start:a", "start:b", "stop:a", "start:b"]);
    expect(sup.snapshot().children[0]!.state).toBe("stopped");
    await sup.stop();
  });

  it("terminateChild of a child waiting for its backoff cancels that restart", async () => {
    const clock = new FakeClock();
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock, flags: { backoff: { initialMs: 100 } }, children: [{ id: "a", start: probe.a.start }] });
    probe.a.crash();
    await flushPromises();
    await sup.terminateChild("a");
    await clock.advance(1000);
    expect(probe.a.starts).toBe(1);
    expect(sup.snapshot().children[0]!.state).toBe("stopped");
    await sup.stop();
  });

  it("terminateChild drops a temporary child's spec", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start, restart: "temporary" }] });
    await sup.terminateChild("a");
    expect(sup.snapshot().children).toEqual([]);
    await sup.stop();
  });

  it("restartChild starts a stopped or failed child again and refuses a running one", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start, restart: "transient" }] });
    await expect(sup.restartChild("a")).rejects.toMatchObject({ code: "CHILD_RUNNING" });
    probe.a.crash(new Error("x"));
    probe.a.exitNormally();
    await flushPromises();
    probe.a.exitNormally();
    await flushPromises();
    expect(sup.snapshot().children[0]!.state).toBe("stopped");
    expect(await sup.restartChild("a")).toMatchObject({ state: "running", restarts: 2 });
    probe.a.failStarts = 1;
    await sup.terminateChild("a");
    await expect(sup.restartChild("a")).rejects.toMatchObject({ code: "CHILD_START_FAILED" });
    expect(sup.snapshot().children[0]!.state).toBe("failed");
    await sup.stop();
  });

  it("deleteChild forgets a stopped child and refuses a running one; unknown ids list the known ones", async () => {
    const { probe } = probeSet("a", "b");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }, { id: "b", start: probe.b.start }] });
    await expect(sup.deleteChild("a")).rejects.toThrow('Supervisor "root": child "a" is running; call terminateChild before deleteChild');
    await sup.terminateChild("a");
    await sup.deleteChild("a");
    expect(sup.snapshot().children.map((c) => c.id)).toEqual(["b"]);
    const missing = await sup.deleteChild("zz").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ChildNotFoundError);
    expect((missing as Error).message).toBe('Supervisor "root": no child "zz"; children are "b"');
    await sup.startChild({ id: "a", start: probe.a.start });
    await sup.stop();
  });

  it("validates dynamic specs like static ones", async () => {
    const sup = await startSupervisor({ clock: new FakeClock() });
    await expect(sup.startChild({ id: "a", start: task(async () => undefined), restart: "sometimes" as "permanent" })).rejects.toMatchObject({
      code: "SPEC_INVALID",
      message: expect.stringContaining('startChild "a".restart: Invalid option: expected one of "permanent"|"transient"|"temporary" (received "sometimes")'),
    });
    await sup.stop();
  });
});
