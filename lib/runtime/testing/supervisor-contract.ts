// The contract every Supervisor meets, as a vitest suite:
// `describeSupervisorContract("root", (options) => startSupervisor(options))`. The factory gets
// the flags, children, a FakeClock and an event sink, and returns a running supervisor. The suite
// checks start order and reverse stop order, the three restart types, the three strategies,
// escalation beyond the intensity, dynamic children, shutdown timeouts and the event payloads.
import { describe, expect, it } from "vitest";
import { SupervisorChildSchema } from "../../schemas";
import { FakeClock } from "../clock";
import type { ActorSystemError, ChildSpecInput, Supervisor, SupervisorChildEvent, SupervisorOptions } from "../supervisor";
import { probeSet } from "./child-probe";

export type SupervisorFactory = (options: SupervisorOptions & { readonly clock: FakeClock }) => Promise<Supervisor>;

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as ActorSystemError).code;
  }
}

export function describeSupervisorContract(name: string, make: SupervisorFactory): void {
  describe(`Supervisor contract: ${name}`, () => {
    async function setup(flags: SupervisorOptions["flags"], specs: (p: ReturnType<typeof probeSet<"a" | "b" | "c">>["probe"]) => ChildSpecInput[]) {
      const clock = new FakeClock();
      const events: SupervisorChildEvent[] = [];
      const set = probeSet("a", "b", "c");
      const sup = await make({ flags, children: specs(set.probe), clock, onEvent: (e) => events.push(e) });
      set.log.length = 0;
      return { sup, clock, events, ...set };
    }
    const abc = (p: ReturnType<typeof probeSet<"a" | "b" | "c">>["probe"]) => [
      { id: "a", start: p.a.start },
      { id: "b", start: p.b.start },
      { id: "c", start: p.c.start },
    ];

    it("starts children in order and stops them in reverse", async () => {
      const clock = new FakeClock();
      const { log, probe } = probeSet("a", "b", "c");
      const sup = await make({ children: abc(probe), clock });
      expect(log).toEqual(["start:a", "start:b", "start:c"]);
      expect(sup.snapshot().children.map((c) => [c.id, c.state])).toEqual([["a", "running"], ["b", "running"], ["c", "running"]]);
      await sup.stop();
      expect(log.slice(3)).toEqual(["stop:c", "stop:b", "stop:a"]);
      expect(await sup.exit).toEqual({ kind: "shutdown" });
      expect(sup.snapshot().state).toBe("stopped");
    });

    it("one_for_one restarts only the child that crashed", async () => {
      const { sup, log, probe } = await setup({ strategy: "one_for_one" }, abc);
      probe.b.crash();
      await settle();
      expect(log).toEqual(["start:b"]);
      expect(sup.snapshot().children.find((c) => c.id === "b")).toMatchObject({ state: "running", restarts: 1, lastError: "Error: b crashed" });
      await sup.stop();
    });

    it("one_for_all stops the others in reverse order and restarts all in order", async () => {
      const { sup, log, probe } = await setup({ strategy: "one_for_all" }, abc);
      probe.b.crash();
      await settle();
      expect(log).toEqual(["stop:c", "stop:a", "start:a", "start:b", "start:c"]);
      expect(probe.a.stopReasons).toEqual(["restart"]);
      await sup.stop();
    });

    it("rest_for_one stops and restarts the children started after the one that crashed", async () => {
      const { sup, log, probe } = await setup({ strategy: "rest_for_one" }, abc);
      probe.b.crash();
      await settle();
      expect(log).toEqual(["stop:c", "start:b", "start:c"]);
      await sup.stop();
    });

    it("applies restart types: transient only after an error, temporary never (and forgotten)", async () => {
      const { sup, log, probe } = await setup({}, (p) => [
        { id: "a", start: p.a.start, restart: "transient" },
        { id: "b", start: p.b.start, restart: "transient" },
        { id: "c", start: p.c.start, restart: "temporary" },
      ]);
      probe.a.exitNormally();
      probe.b.crash();
      probe.c.crash();
      await settle();
      expect(log).toEqual(["start:b"]);
      const states = Object.fromEntries(sup.snapshot().children.map((c) => [c.id, c.state]));
      expect(states).toEqual({ a: "stopped", b: "running" });
      await sup.stop();
    });

    it("gives up beyond the intensity: stops every child in reverse and exits with INTENSITY_EXCEEDED", async () => {
      const { sup, log, probe, clock } = await setup({ intensity: 1, periodMs: 1000 }, abc);
      probe.a.crash();
      await settle();
      await clock.advance(500);
      probe.a.crash();
      await settle();
      expect(log).toEqual(["start:a", "stop:c", "stop:b"]);
      const exit = await sup.exit;
      expect(exit.kind).toBe("error");
      expect(exit.kind === "error" && (exit.error as ActorSystemError).code).toBe("INTENSITY_EXCEEDED");
      expect(sup.snapshot().state).toBe("failed");
      expect(await codeOf(sup.startChild({ id: "d", start: probe.a.start }))).toBe("SUPERVISOR_NOT_RUNNING");
    });

    it("forgets restarts older than periodMs", async () => {
      const { sup, probe, clock } = await setup({ intensity: 1, periodMs: 1000 }, abc);
      probe.a.crash();
      await settle();
      await clock.advance(1000);
      probe.a.crash();
      await settle();
      expect(sup.snapshot()).toMatchObject({ state: "running", restartsInPeriod: 1 });
      await sup.stop();
    });

    it("manages dynamic children", async () => {
      const { sup, log, probe } = await setup({}, () => []);
      await sup.startChild({ id: "a", start: probe.a.start });
      await sup.startChild({ id: "b", start: probe.b.start });
      expect(await codeOf(sup.startChild({ id: "a", start: probe.c.start }))).toBe("DUPLICATE_CHILD_ID");
      expect(await codeOf(sup.deleteChild("a"))).toBe("CHILD_RUNNING");
      await sup.terminateChild("a");
      expect(sup.snapshot().children.map((c) => [c.id, c.state])).toEqual([["a", "stopped"], ["b", "running"]]);
      await sup.restartChild("a");
      await sup.terminateChild("a");
      await sup.deleteChild("a");
      expect(await codeOf(sup.terminateChild("a"))).toBe("CHILD_NOT_FOUND");
      probe.c.failStarts = 1;
      expect(await codeOf(sup.startChild({ id: "c", start: probe.c.start }))).toBe("CHILD_START_FAILED");
      expect(sup.snapshot().children.map((c) => c.id)).toEqual(["b"]);
      expect(log).toEqual(["start:a", "start:b", "stop:a", "start:a", "stop:a", "start:c"]);
      await sup.stop();
    });

    it("abandons a child that ignores stop() after its shutdownMs and reports it", async () => {
      const { sup, probe, clock, log } = await setup({}, (p) => [
        { id: "a", start: p.a.start },
        { id: "b", start: p.b.start, shutdownMs: 100 },
      ]);
      probe.b.ignoreStop = true;
      let done = false;
      const stopping = sup.stop().then((report) => ((done = true), report));
      await clock.advance(99);
      expect(done).toBe(false);
      expect(log).toEqual(["stop:b"]);
      await clock.advance(1);
      const report = await stopping;
      expect(report.abandoned).toEqual([{ supervisor: sup.path, child: "b", shutdownMs: 100 }]);
      expect(log).toEqual(["stop:b", "stop:a"]);
      expect(sup.snapshot().children.find((c) => c.id === "b")).toMatchObject({ state: "failed", lastError: expect.stringContaining("did not stop within 100 ms") });
    });

    it("reports every state change as a supervisor:child event", async () => {
      const { sup, probe, events } = await setup({}, abc);
      probe.a.crash(new Error("boom"));
      await settle();
      await sup.stop();
      for (const event of events) expect(SupervisorChildSchema.parse(event)).toEqual(event);
      expect(events.every((e) => e.supervisor === sup.path)).toBe(true);
      const forA = events.filter((e) => e.child === "a").map((e) => [e.state, e.restarts, e.lastError]);
      expect(forA).toEqual([
        ["starting", 0, null],
        ["running", 0, null],
        ["restarting", 0, "Error: boom"],
        ["starting", 1, "Error: boom"],
        ["running", 1, "Error: boom"],
        ["stopping", 1, "Error: boom"],
        ["stopped", 1, "Error: boom"],
      ]);
    });
  });
}
