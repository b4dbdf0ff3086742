// Each strategy with each restart type, for a crash and for a normal exit of the middle child.
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { probeSet } from "../testing";
import { startSupervisor } from "./index";

const strategies = ["one_for_one", "one_for_all", "rest_for_one"] as const;
const restarts = ["permanent", "transient", "temporary"] as const;
const exits = ["error", "normal"] as const;

const restartedLog = {
  one_for_one: ["start:b"],
  one_for_all: ["stop:c", "stop:a", "start:a", "start:b", "start:c"],
  rest_for_one: ["stop:c", "start:b", "start:c"],
} as const;

describe("restart strategies × restart types", () => {
  for (const strategy of strategies) {
    for (const restart of restarts) {
      for (const exit of exits) {
        const restarted = restart === "permanent" || (restart === "transient" && exit === "error");
        it(`${strategy}: a ${restart} child that exits (${exit}) is ${restarted ? "restarted" : "left down"}`, async () => {
          const { log, probe } = probeSet("a", "b", "c");
          const sup = await startSupervisor({
            clock: new FakeClock(),
            flags: { strategy },
            children: [
              { id: "a", start: probe.a.start },
              { id: "b", start: probe.b.start, restart },
              { id: "c", start: probe.c.start },
            ],
          });
          log.length = 0;
          if (exit === "error") probe.b.crash();
          else probe.b.exitNormally();
          await flushPromises();

          const snap = sup.snapshot();
          const b = snap.children.find((c) => c.id === "b");
          if (restarted) {
            expect(log).toEqual(restartedLog[strategy]);
            expect(b).toMatchObject({ state: "running", restarts: 1 });
            expect(snap.restartsInPeriod).toBe(1);
            expect(snap.children.every((c) => c.state === "running")).toBe(true);
          } else {
            expect(log).toEqual([]);
            expect(snap.restartsInPeriod).toBe(0);
            if (restart === "temporary") expect(b).toBeUndefined();
            else expect(b).toMatchObject({ state: exit === "error" ? "failed" : "stopped", restarts: 0 });
            expect(snap.children.filter((c) => c.id !== "b").every((c) => c.state === "running")).toBe(true);
          }
          await sup.stop();
        });
      }
    }
  }
});

describe("siblings caught in a group restart", () => {
  it("one_for_all stops a temporary sibling for good, restarts a transient one, and leaves a terminated one alone", async () => {
    const { log, probe } = probeSet("a", "b", "c", "d");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      flags: { strategy: "one_for_all" },
      children: [
        { id: "a", start: probe.a.start, restart: "temporary" },
        { id: "b", start: probe.b.start, restart: "transient" },
        { id: "c", start: probe.c.start },
        { id: "d", start: probe.d.start },
      ],
    });
    await sup.terminateChild("d");
    log.length = 0;
    probe.c.crash();
    await flushPromises();
    expect(log).toEqual(["stop:b", "stop:a", "start:b", "start:c"]);
    expect(sup.snapshot().children.map((c) => [c.id, c.state])).toEqual([
      ["b", "running"],
      ["c", "running"],
      ["d", "stopped"],
    ]);
    await sup.stop();
  });

  it("rest_for_one leaves the children started before the crashed one running", async () => {
    const { log, probe } = probeSet("a", "b", "c", "d");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      flags: { strategy: "rest_for_one" },
      children: ["a", "b", "c", "d"].map((id) => ({ id, start: probe[id as "a"].start })),
    });
    log.length = 0;
    probe.c.crash();
    await flushPromises();
    expect(log).toEqual(["stop:d", "start:c", "start:d"]);
    expect(probe.a.starts + probe.b.starts).toBe(2);
    probe.a.crash();
    await flushPromises();
    expect(log.slice(3)).toEqual(["stop:d", "stop:c", "stop:b", "start:a", "start:b", "start:c", "start:d"]);
    await sup.stop();
  });

  it("a restart group counts as one restart toward the intensity", async () => {
    const { probe } = probeSet("a", "b", "c");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      flags: { strategy: "one_for_all", intensity: 1 },
      children: [
        { id: "a", start: probe.a.start },
        { id: "b", start: probe.b.start },
        { id: "c", start: probe.c.start },
      ],
    });
    probe.a.crash();
    await flushPromises();
    expect(sup.snapshot()).toMatchObject({ state: "running", restartsInPeriod: 1 });
    await sup.stop();
  });
});
