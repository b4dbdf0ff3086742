// snapshot() and onEvent: the tree as plain data, every state change as a supervisor:child event.
import { describe, expect, it } from "vitest";
import { SupervisorChildSchema } from "../../schemas";
import { FakeClock, flushPromises } from "../clock";
import { probeSet } from "../testing";
import { startSupervisor, supervisor, type SupervisorChildEvent } from "./index";

describe("snapshot", () => {
  it("returns the whole tree as JSON-safe data with paths, types, states, restarts, errors and start times", async () => {
    const clock = new FakeClock({ start: Date.UTC(2026, 4, 1) });
    const { probe } = probeSet("a", "x", "y");
    const root = await startSupervisor({
      path: "app",
      clock,
      flags: { strategy: "rest_for_one", intensity: 5, periodMs: 60_000 },
      children: [
        { id: "a", start: probe.a.start },
        { id: "jobs", start: supervisor({ flags: { strategy: "one_for_all" }, children: [{ id: "x", start: probe.x.start, restart: "transient" }, { id: "y", start: probe.y.start }] }) },
      ],
    });
    await clock.advance(1500);
    probe.y.crash(new Error("oom"));
    await flushPromises();
    const snap = root.snapshot();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap).toEqual({
      path: "app",
      strategy: "rest_for_one",
      intensity: 5,
      periodMs: 60_000,
      state: "running",
      restartsInPeriod: 0,
      children: [
        { id: "a", type: "worker", restart: "permanent", state: "running", restarts: 0, lastError: null, startedAt: "2026-05-01T00:00:00.000Z" },
        {
          id: "jobs",
          type: "supervisor",
          restart: "permanent",
          state: "running",
          restarts: 0,
          lastError: null,
          startedAt: "2026-05-01T00:00:00.000Z",
          supervisor: {
            path: "app/jobs",
            strategy: "one_for_all",
            intensity: 3,
            periodMs: 5000,
            state: "running",
            restartsInPeriod: 1,
            children: [
              { id: "x", type: "worker", restart: "transient", state: "running", restarts: 1, lastError: null, startedAt: "2026-05-01T00:00:01.500Z" },
              { id: "y", type: "worker", restart: "permanent", state: "running", restarts: 1, lastError: "Error: oom", startedAt: "2026-05-01T00:00:01.500Z" },
            ],
          },
        },
      ],
    });
    await root.stop();
    expect(root.snapshot().state).toBe("stopped");
  });
});

describe("events", () => {
  it("nested supervisors report through the parent's onEvent with their own path, and every payload matches SupervisorChildSchema", async () => {
    const clock = new FakeClock();
    const events: SupervisorChildEvent[] = [];
    const { probe } = probeSet("a", "x");
    const root = await startSupervisor({
      clock,
      onEvent: (e) => events.push(e),
      children: [
        { id: "a", start: probe.a.start },
        { id: "jobs", start: supervisor({ children: [{ id: "x", start: probe.x.start }] }) },
      ],
    });
    await clock.advance(250);
    probe.x.crash(new Error("bad row"));
    await flushPromises();
    await root.stop();
    for (const e of events) expect(SupervisorChildSchema.safeParse(e).success).toBe(true);
    const compact = events.map((e) => `${e.supervisor}:${e.child}:${e.state}`);
    expect(compact).toEqual([
      "root:a:starting",
      "root:a:running",
      "root:jobs:starting",
      "root/jobs:x:starting",
      "root/jobs:x:running",
      "root:jobs:running",
      "root/jobs:x:restarting",
      "root/jobs:x:starting",
      "root/jobs:x:running",
      "root:jobs:stopping",
      "root/jobs:x:stopping",
      "root/jobs:x:stopped",
      "root:jobs:stopped",
      "root:a:stopping",
      "root:a:stopped",
    ]);
    const restarting = events.find((e) => e.state === "restarting")!;
    expect(restarting).toEqual({ supervisor: "root/jobs", child: "x", state: "restarting", restarts: 0, lastError: "Error: bad row", at: "2026-01-01T00:00:00.250Z" });
  });

  it("a child that stays down is reported failed (error) or stopped (normal)", async () => {
    const events: SupervisorChildEvent[] = [];
    const { probe } = probeSet("a", "b");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      onEvent: (e) => events.push(e),
      children: [
        { id: "a", start: probe.a.start, restart: "temporary" },
        { id: "b", start: probe.b.start, restart: "transient" },
      ],
    });
    probe.a.crash(new Error("gone"));
    probe.b.exitNormally();
    await flushPromises();
    expect(events.slice(-2).map((e) => [e.child, e.state, e.lastError])).toEqual([
      ["a", "failed", "Error: gone"],
      ["b", "stopped", null],
    ]);
    await sup.stop();
  });
});
