// Flags and child specs: documented defaults, and invalid ones refused before anything starts.
import { describe, expect, it } from "vitest";
import { FakeClock } from "../clock";
import { ChildProbe } from "../testing";
import { startSupervisor, supervisor, SupervisorConfigError, task, type ChildSpecInput, type SupervisorFlagsInput } from "./index";

const noop = task(async () => undefined);

async function refusal(options: { flags?: SupervisorFlagsInput; children?: unknown[] }): Promise<SupervisorConfigError> {
  const probe = new ChildProbe("guard");
  const children = [{ id: "guard", start: probe.start }, ...(options.children ?? [])] as ChildSpecInput[];
  const error = await startSupervisor({ clock: new FakeClock(), flags: options.flags, children }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SupervisorConfigError);
  expect(probe.starts).toBe(0);
  return error as SupervisorConfigError;
}

describe("defaults", () => {
  it("a child needs only id and start: permanent worker, 5000 ms to stop", async () => {
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "a", start: new ChildProbe("a").start }] });
    expect(sup.snapshot()).toMatchObject({ path: "root", strategy: "one_for_one", intensity: 3, periodMs: 5000 });
    expect(sup.snapshot().children[0]).toMatchObject({ type: "worker", restart: "permanent" });
    await sup.stop();
  });

  it("a start from supervisor() makes the child a supervisor with an unlimited shutdown", async () => {
    const sup = await startSupervisor({ clock: new FakeClock(), children: [{ id: "jobs", start: supervisor() }] });
    expect(sup.snapshot().children[0]).toMatchObject({ id: "jobs", type: "supervisor", supervisor: { path: "root/jobs", children: [] } });
    await sup.stop();
  });
});

describe("invalid specs are refused at startup with clear messages", () => {
  it("duplicate ids, all of them at once", async () => {
    const error = await refusal({ children: [{ id: "a", start: noop }, { id: "guard", start: noop }, { id: "a", start: noop }] });
    expect(error.code).toBe("DUPLICATE_CHILD_ID");
    expect(error.message).toBe(
      'Supervisor "root": children[2].id: "guard" is already used by children[0]; child ids must be unique; children[3].id: "a" is already used by children[1]; child ids must be unique',
    );
    expect(error.issues).toHaveLength(2);
  });

  it("a bad restart type names the choices and the value received", async () => {
    const error = await refusal({ children: [{ id: "a", start: noop, restart: "always" }] });
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe('Supervisor "root": children[1] "a".restart: Invalid option: expected one of "permanent"|"transient"|"temporary" (received "always")');
  });

  it("a negative or fractional intensity", async () => {
    const negative = await refusal({ flags: { intensity: -1 } });
    expect(negative.code).toBe("FLAGS_INVALID");
    expect(negative.message).toBe('Supervisor "root": flags.intensity: Too small: expected number to be >=0 (received -1)');
    expect((await refusal({ flags: { intensity: 1.5 } })).issues[0]).toMatchObject({ path: "flags.intensity" });
  });

  it("other flags: unknown strategy, zero period, typos, backoff bounds", async () => {
    expect((await refusal({ flags: { strategy: "simple_one_for_one" as "one_for_one" } })).issues[0]!.path).toBe("flags.strategy");
    expect((await refusal({ flags: { periodMs: 0 } })).issues[0]!.path).toBe("flags.periodMs");
    expect((await refusal({ flags: { intensty: 5 } as SupervisorFlagsInput })).message).toContain('Unrecognized key: "intensty"');
    expect((await refusal({ flags: { backoff: { initialMs: 500, maxMs: 100 } } })).message).toContain("flags.backoff.initialMs: initialMs must not exceed maxMs");
    expect((await refusal({ flags: { backoff: { jitter: 2 } } })).issues[0]!.path).toBe("flags.backoff.jitter");
    expect((await refusal({ flags: { backoff: { factor: 0.5 } } })).issues[0]!.path).toBe("flags.backoff.factor");
  });

  it("child fields: missing start, empty or slashed id, negative shutdownMs, unknown key", async () => {
    expect((await refusal({ children: [{ id: "a" }] })).message).toContain('children[1] "a".start: must be a function returning Promise<ChildHandle>');
    expect((await refusal({ children: [{ id: "", start: noop }] })).message).toContain("children[1].id: must be a non-empty string");
    expect((await refusal({ children: [{ id: "a/b", start: noop }] })).message).toContain('must not contain "/"');
    expect((await refusal({ children: [{ id: "a", start: noop, shutdownMs: -1 }] })).message).toContain("must be a number of milliseconds >= 0, or Infinity");
    expect((await refusal({ children: [{ id: "a", start: noop, restartType: "temporary" }] })).message).toContain('Unrecognized key: "restartType"');
    expect((await refusal({ children: [{ id: "a", start: noop, type: "actor" }] })).issues[0]!.path).toBe('children[1] "a".type');
  });

  it('refuses type "worker" for a start that comes from supervisor()', async () => {
    const error = await refusal({ children: [{ id: "jobs", start: supervisor(), type: "worker" }] });
    expect(error.message).toBe('Supervisor "root": children[1] "jobs".type: is "worker" but start comes from supervisor(); drop type or set type: "supervisor"');
  });

  it("supervisor() validates its own flags and children when the tree is declared", () => {
    expect(() => supervisor({ flags: { intensity: -2 } })).toThrow('Supervisor "supervisor()": flags.intensity');
    expect(() => supervisor({ children: [{ id: "x", start: noop }, { id: "x", start: noop }] })).toThrow(SupervisorConfigError);
  });

  it("accepts Infinity and 0 as shutdownMs", async () => {
    const sup = await startSupervisor({
      clock: new FakeClock(),
      children: [
        { id: "a", start: new ChildProbe("a").start, shutdownMs: Number.POSITIVE_INFINITY },
        { id: "b", start: new ChildProbe("b").start, shutdownMs: 0 },
      ],
    });
    await sup.stop();
  });
});
