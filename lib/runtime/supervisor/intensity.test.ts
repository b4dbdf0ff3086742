// Restart intensity: bounded restarts within a sliding period, escalation to the parent, and the
// parent's own strategy reacting to a nested supervisor that gave up.
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { probeSet } from "../testing";
import { RestartIntensityError, startSupervisor, supervisor, type ExitReason } from "./index";

function errorOf(exit: ExitReason): unknown {
  return exit.kind === "error" ? exit.error : undefined;
}

describe("restart intensity", () => {
  it("allows exactly `intensity` restarts within periodMs; the next one escalates", async () => {
    const clock = new FakeClock();
    const { log, probe } = probeSet("a", "b");
    const sup = await startSupervisor({
      clock,
      flags: { intensity: 3, periodMs: 1000 },
      children: [
        { id: "a", start: probe.a.start },
        { id: "b", start: probe.b.start },
      ],
    });
    let exited = false;
    void sup.exit.then(() => (exited = true));
    for (let i = 0; i < 3; i++) {
      probe.b.crash();
      await clock.advance(100);
    }
    expect(exited).toBe(false);
    expect(probe.b.starts).toBe(4);
    probe.b.crash(new Error("fourth"));
    await flushPromises();
    expect(exited).toBe(true);
    const error = errorOf(await sup.exit);
    expect(error).toBeInstanceOf(RestartIntensityError);
    expect(error).toMatchObject({ code: "INTENSITY_EXCEEDED", supervisor: "root", childId: "b", intensity: 3, periodMs: 1000 });
    expect((error as Error).message).toContain('child "b": Error: fourth');
    expect((error as Error).cause).toEqual(new Error("fourth"));
    expect(log.slice(-1)).toEqual(["stop:a"]);
    expect(probe.b.starts).toBe(4);
    expect(sup.snapshot().children.map((c) => [c.id, c.state])).toEqual([
      ["a", "stopped"],
      ["b", "failed"],
    ]);
  });

  it("intensity 0 gives up at the first restart", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), flags: { intensity: 0 }, children: [{ id: "a", start: probe.a.start }] });
    probe.a.crash();
    expect(errorOf(await sup.exit)).toBeInstanceOf(RestartIntensityError);
    expect(probe.a.starts).toBe(1);
  });

  it("slides: restarts older than periodMs no longer count", async () => {
    const clock = new FakeClock();
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock, flags: { intensity: 2, periodMs: 1000 }, children: [{ id: "a", start: probe.a.start }] });
    // Crashes at t=0, 600, 1200, 1800...: never more than two within any 1000 ms.
    for (let i = 0; i < 6; i++) {
      probe.a.crash();
      await clock.advance(600);
    }
    expect(sup.snapshot()).toMatchObject({ state: "running", restartsInPeriod: 1 });
    // Three within 1000 ms escalate.
    probe.a.crash();
    await clock.advance(10);
    probe.a.crash();
    await flushPromises();
    expect(sup.snapshot().state).toBe("failed");
  });

  it("normal exits of transient children and any exit of temporary ones do not count", async () => {
    const { probe } = probeSet("a", "b");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      flags: { intensity: 0 },
      children: [
        { id: "a", start: probe.a.start, restart: "transient" },
        { id: "b", start: probe.b.start, restart: "temporary" },
      ],
    });
    probe.a.exitNormally();
    probe.b.crash();
    await flushPromises();
    expect(sup.snapshot()).toMatchObject({ state: "running", restartsInPeriod: 0 });
    await sup.stop();
  });
});

describe("escalation to the parent", () => {
  function tree(parentStrategy: "one_for_one" | "one_for_all" | "rest_for_one", parentIntensity = 3) {
    const clock = new FakeClock();
    const set = probeSet("w", "x", "y", "z");
    const start = () =>
      startSupervisor({
        clock,
        flags: { strategy: parentStrategy, intensity: parentIntensity },
        children: [
          { id: "w", start: set.probe.w.start },
          { id: "jobs", start: supervisor({ flags: { intensity: 1 }, children: [{ id: "x", start: set.probe.x.start }, { id: "y", start: set.probe.y.start }] }) },
          { id: "z", start: set.probe.z.start },
        ],
      });
    return { clock, start, ...set };
  }

  it("a nested supervisor that gives up is restarted by its parent (one_for_one), with a fresh restart count", async () => {
    const { start, log, probe } = tree("one_for_one");
    const root = await start();
    log.length = 0;
    probe.x.crash();
    await flushPromises();
    probe.x.crash();
    await flushPromises();
    expect(log).toEqual(["start:x", "stop:y", "start:x", "start:y"]);
    const jobs = root.snapshot().children.find((c) => c.id === "jobs")!;
    expect(jobs).toMatchObject({ type: "supervisor", state: "running", restarts: 1 });
    expect(jobs.lastError).toContain('RestartIntensityError: Supervisor "root/jobs": more than 1 restart(s) within 5000 ms');
    expect(jobs.supervisor).toMatchObject({ path: "root/jobs", state: "running", restartsInPeriod: 0 });
    expect(probe.w.starts + probe.z.starts).toBe(2);
    await root.stop();
  });

  it("one_for_all in the parent restarts the siblings of a nested supervisor that gave up", async () => {
    const { start, log, probe } = tree("one_for_all");
    const root = await start();
    log.length = 0;
    probe.y.crash();
    await flushPromises();
    probe.y.crash();
    await flushPromises();
    expect(log).toEqual(["start:y", "stop:x", "stop:z", "stop:w", "start:w", "start:x", "start:y", "start:z"]);
    await root.stop();
  });

  it("rest_for_one in the parent restarts only what was started after the nested supervisor", async () => {
    const { start, log, probe } = tree("rest_for_one");
    const root = await start();
    log.length = 0;
    probe.x.crash();
    await flushPromises();
    probe.x.crash();
    await flushPromises();
    expect(log).toEqual(["start:x", "stop:y", "stop:z", "start:x", "start:y", "start:z"]);
    await root.stop();
  });

  it("escalates up the tree: a parent out of intensity fails with the child's error as cause", async () => {
    const { start, probe } = tree("one_for_one", 0);
    const root = await start();
    probe.x.crash();
    await flushPromises();
    probe.x.crash();
    const exit = await root.exit;
    const error = errorOf(exit) as RestartIntensityError;
    expect(error).toMatchObject({ code: "INTENSITY_EXCEEDED", supervisor: "root", childId: "jobs" });
    expect(error.cause).toMatchObject({ code: "INTENSITY_EXCEEDED", supervisor: "root/jobs", childId: "x" });
    expect(root.snapshot().children.map((c) => [c.id, c.state])).toEqual([
      ["w", "stopped"],
      ["jobs", "failed"],
      ["z", "stopped"],
    ]);
  });
});
