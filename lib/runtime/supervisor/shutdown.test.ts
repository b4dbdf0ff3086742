// Shutdown: reverse start order through the whole tree, shutdownMs, abandoned children reported.
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { probeSet } from "../testing";
import { DEFAULT_SHUTDOWN_MS, startSupervisor, supervisor, type SupervisorChildEvent } from "./index";

describe("shutdown", () => {
  it("stops a nested tree depth-first in reverse start order, passing the reason", async () => {
    const { log, probe } = probeSet("a", "x", "y", "b");
    const root = await startSupervisor({
      clock: new FakeClock(),
      children: [
        { id: "a", start: probe.a.start },
        { id: "jobs", start: supervisor({ children: [{ id: "x", start: probe.x.start }, { id: "y", start: probe.y.start }] }) },
        { id: "b", start: probe.b.start },
      ],
    });
    expect(log).toEqual(["start:a", "start:x", "start:y", "start:b"]);
    await root.stop();
    expect(log.slice(4)).toEqual(["stop:b", "stop:y", "stop:x", "stop:a"]);
    expect(probe.x.stopReasons).toEqual(["shutdown"]);
    expect(root.snapshot().children.map((c) => c.state)).toEqual(["stopped", "stopped", "stopped"]);
  });

  it("gives a child its default 5000 ms, then abandons it, reports it and goes on with the others", async () => {
    const clock = new FakeClock();
    const events: SupervisorChildEvent[] = [];
    const { log, probe } = probeSet("a", "b", "c");
    const sup = await startSupervisor({
      clock,
      onEvent: (e) => events.push(e),
      children: [
        { id: "a", start: probe.a.start },
        { id: "b", start: probe.b.start },
        { id: "c", start: probe.c.start },
      ],
    });
    probe.b.ignoreStop = true;
    let report: unknown;
    const stopping = sup.stop().then((r) => (report = r));
    await clock.advance(DEFAULT_SHUTDOWN_MS - 1);
    expect(log.slice(3)).toEqual(["stop:c", "stop:b"]);
    expect(report).toBeUndefined();
    await clock.advance(1);
    await stopping;
    expect(log.slice(3)).toEqual(["stop:c", "stop:b", "stop:a"]);
    expect(report).toEqual({ abandoned: [{ supervisor: "root", child: "b", shutdownMs: 5000 }] });
    const last = events.filter((e) => e.child === "b").at(-1)!;
    expect(last).toMatchObject({ state: "failed", lastError: expect.stringMatching(/ShutdownTimeoutError: .*"b" did not stop within 5000 ms and was abandoned/) });
    expect(new Date(last.at).getTime() - new Date(events.find((e) => e.child === "b" && e.state === "stopping")!.at).getTime()).toBe(5000);
  });

  it("waits for a nested supervisor as long as it takes (Infinity) and merges its abandoned children", async () => {
    const clock = new FakeClock();
    const { probe } = probeSet("x", "y");
    probe.x.ignoreStop = true;
    const root = await startSupervisor({
      clock,
      children: [{ id: "jobs", start: supervisor({ children: [{ id: "x", start: probe.x.start, shutdownMs: 60_000 }, { id: "y", start: probe.y.start }] }) }],
    });
    let done = false;
    const stopping = root.stop().then((r) => ((done = true), r));
    await clock.advance(59_999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(await stopping).toEqual({ abandoned: [{ supervisor: "root/jobs", child: "x", shutdownMs: 60_000 }] });
  });

  it("a child whose stop() rejects is recorded as failed and the shutdown continues", async () => {
    const { log, probe } = probeSet("a", "b");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }, { id: "b", start: probe.b.start }] });
    probe.b.stopError = new Error("socket already closed");
    expect(await sup.stop()).toEqual({ abandoned: [] });
    expect(log.slice(2)).toEqual(["stop:b", "stop:a"]);
    expect(sup.snapshot().children[1]).toMatchObject({ state: "failed", lastError: expect.stringContaining('ChildStopError: Supervisor "root": child "b" failed to stop: Error: socket already closed') });
  });

  it("an abandoned sibling during a restart is still restarted, with its timeout recorded", async () => {
    const clock = new FakeClock();
    const { log, probe } = probeSet("a", "b");
    const sup = await startSupervisor({
      clock,
      flags: { strategy: "one_for_all" },
      children: [
        { id: "a", start: probe.a.start, shutdownMs: 50 },
        { id: "b", start: probe.b.start },
      ],
    });
    probe.a.ignoreStop = true;
    probe.b.crash();
    await clock.advance(50);
    expect(log.slice(2)).toEqual(["stop:a", "start:a", "start:b"]);
    expect(sup.snapshot().children[0]!.lastError).toContain("did not stop within 50 ms");
    probe.a.ignoreStop = false;
    await sup.stop();
  });

  it("stop() is idempotent, exit resolves to shutdown, and later calls are refused with SUPERVISOR_NOT_RUNNING", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }] });
    const first = sup.stop();
    expect(sup.stop()).toBe(first);
    await first;
    expect(probe.a.stopReasons).toEqual(["shutdown"]);
    expect(await sup.exit).toEqual({ kind: "shutdown" });
    await expect(sup.startChild({ id: "b", start: probe.a.start })).rejects.toMatchObject({ code: "SUPERVISOR_NOT_RUNNING" });
    await expect(sup.terminateChild("a")).rejects.toThrow('Supervisor "root": cannot terminateChild: the supervisor is stopped');
  });

  it("ignores exits of children it is stopping (no restart during shutdown)", async () => {
    const { probe } = probeSet("a", "b");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }, { id: "b", start: probe.b.start }] });
    const stopping = sup.stop();
    probe.a.crash();
    await stopping;
    await flushPromises();
    expect(probe.a.starts).toBe(1);
  });
});
