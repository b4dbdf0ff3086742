// Every way a child can fail is a crash handled by its supervisor, never an unhandled rejection.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { ChildProbe, probeSet } from "../testing";
import { ChildStartError, startSupervisor, supervisor, task, type ChildHandle, type ExitReason } from "./index";

let unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled = [];
  process.on("unhandledRejection", onUnhandled);
});
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});

describe("crashes", () => {
  it("a task that throws synchronously crashes and is restarted", async () => {
    let runs = 0;
    const sup = await startSupervisor({
      clock: new FakeClock(),
      children: [
        {
          id: "sync",
          start: task((signal) => {
            runs++;
            if (runs === 1) throw new TypeError("bad input");
            return new Promise((resolve) => signal.addEventListener("abort", resolve));
          }),
        },
      ],
    });
    await flushPromises();
    expect(runs).toBe(2);
    expect(sup.snapshot().children[0]).toMatchObject({ state: "running", restarts: 1, lastError: "TypeError: bad input" });
    await sup.stop();
  });

  it("a task that rejects crashes; one that resolves exits normally", async () => {
    let runs = 0;
    const sup = await startSupervisor({
      clock: new FakeClock(),
      flags: { intensity: 10 },
      children: [
        {
          id: "job",
          restart: "transient",
          start: task(async () => {
            runs++;
            if (runs < 3) throw new Error(`attempt ${runs}`);
          }),
        },
      ],
    });
    await flushPromises();
    await flushPromises();
    expect(runs).toBe(3);
    expect(sup.snapshot().children[0]).toMatchObject({ state: "stopped", restarts: 2, lastError: "Error: attempt 2" });
    await sup.stop();
  });

  it("a thrown non-Error value is still a crash, described as text", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: probe.a.start }] });
    probe.a.crash({ reason: "quota" });
    await flushPromises();
    expect(sup.snapshot().children[0]).toMatchObject({ restarts: 1, lastError: '{"reason":"quota"}' });
    await sup.stop();
  });

  it("an exit promise that rejects is read as a crash", async () => {
    let starts = 0;
    const start = async (): Promise<ChildHandle> => {
      starts++;
      return { exit: starts === 1 ? Promise.reject(new Error("exit rejected")) : new Promise<ExitReason>(() => undefined), stop: async () => undefined };
    };
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start }] });
    await flushPromises();
    expect(starts).toBe(2);
    expect(sup.snapshot().children[0]!.lastError).toBe("Error: exit rejected");
    await sup.stop();
  });

  it("a start that throws synchronously at boot fails the boot: earlier children stopped in reverse, later ones never started", async () => {
    const { log, probe } = probeSet("a", "b", "c", "d");
    probe.c.failStarts = 1;
    probe.c.throwSync = true;
    probe.c.startError = new Error("no database");
    const error = await startSupervisor({
      clock: new FakeClock(),
      children: ["a", "b", "c", "d"].map((id) => ({ id, start: probe[id as "a"].start })),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChildStartError);
    expect((error as Error).message).toBe('Supervisor "root": child "c" failed to start; the children started before it were stopped in reverse order: Error: no database');
    expect(log).toEqual(["start:a", "start:b", "start:c", "stop:b", "stop:a"]);
  });

  it("a start that resolves to something other than a handle is a failed start", async () => {
    const error = await startSupervisor({
      clock: new FakeClock(),
      children: [{ id: "a", start: (async () => ({ ok: true })) as never }],
    }).catch((e: unknown) => e);
    expect((error as Error).message).toContain("start resolved to object, not a ChildHandle { stop(reason), exit }; wrap the code with task() or service()");
  });

  it("a nested supervisor whose child cannot start fails its parent's boot with the chain of causes", async () => {
    const bad = new ChildProbe("db");
    bad.failStarts = 1;
    const error = await startSupervisor({
      clock: new FakeClock(),
      children: [{ id: "store", start: supervisor({ children: [{ id: "db", start: bad.start }] }) }],
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "CHILD_START_FAILED", supervisor: "root", childId: "store" });
    expect((error as Error).cause).toMatchObject({ code: "CHILD_START_FAILED", supervisor: "root/store", childId: "db" });
  });

  it("a start that keeps failing during restarts escalates instead of looping", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({ clock: new FakeClock(), flags: { intensity: 2 }, children: [{ id: "a", start: probe.a.start }] });
    probe.a.failStarts = 100;
    probe.a.crash();
    const exit = await sup.exit;
    expect(exit).toMatchObject({ kind: "error", error: { code: "INTENSITY_EXCEEDED", childId: "a" } });
    expect(probe.a.starts).toBe(3);
  });

  it("a root that gives up with nobody awaiting its exit causes no unhandled rejection", async () => {
    const { probe } = probeSet("a", "b");
    probe.b.stopError = new Error("stop exploded");
    await startSupervisor({ clock: new FakeClock(), flags: { intensity: 0 }, children: [{ id: "a", start: probe.a.start }, { id: "b", start: probe.b.start }] });
    probe.a.crash(new Error("unwatched"));
    await flushPromises();
    expect(probe.b.stopReasons).toEqual(["shutdown"]);
  });

  it("a listener that throws does not break supervision", async () => {
    const { probe } = probeSet("a");
    const sup = await startSupervisor({
      clock: new FakeClock(),
      onEvent: () => {
        throw new Error("listener bug");
      },
      children: [{ id: "a", start: probe.a.start }],
    });
    probe.a.crash();
    await flushPromises();
    expect(sup.snapshot().children[0]).toMatchObject({ state: "running", restarts: 1 });
    await sup.stop();
  });
});
