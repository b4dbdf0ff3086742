// The placement rules without Redis: least loaded first, a dead node's agents restarted after
// their backoff (growing with their restarts), the system failed past its intensity, scaling
// down, and balancing when a node joins.
import { describe, expect, it } from "vitest";
import { SupervisorFlagsSchema } from "../../supervisor";
import { planPlacement, type PlanInput } from "./placement-plan";

const flags = SupervisorFlagsSchema.parse({ intensity: 3, periodMs: 10_000, backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 } });
const ids = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `w-${i}` }));
const base: PlanInput = { now: 1_000, desired: ids(4), placed: {}, hosts: ["a", "b"], load: {}, orphans: {}, restartsInPeriod: 0, restartsOf: {}, flags, random: () => 0.5 };

describe("planPlacement", () => {
  it("places new agents on the least loaded hosts, counting other systems' agents", () => {
    const plan = planPlacement({ ...base, hosts: ["a", "b", "c"], load: { a: 3 } });
    expect(plan.assign).toEqual({ "w-0": "b", "w-1": "c", "w-2": "b", "w-3": "c" });
    expect(plan.restarted).toEqual([]);
  });

  it("restarts a dead node's agents only after their backoff, growing with their restarts in the period", () => {
    const placed = { "w-0": "a", "w-1": "dead", "w-2": "b", "w-3": "dead" };
    const first = planPlacement({ ...base, placed, hosts: ["a", "b"] });
    expect(first.assign).toEqual({});
    expect(first.orphaned).toEqual({ "w-1": 1_000, "w-3": 1_000 });
    expect(first.nextDueAt).toBe(1_100);
    const due = planPlacement({ ...base, now: 1_100, placed, orphans: first.orphaned, restartsOf: { "w-3": 1 } });
    expect(due.assign).toEqual({ "w-1": "a" });
    expect(due.restarted).toEqual(["w-1"]);
    expect(due.forget).toEqual(["w-1"]);
    expect(due.nextDueAt).toBe(1_200); // w-3 restarted once already: 200 ms
  });

  it("fails the system when the restarts due would exceed the intensity", () => {
    const placed = { "w-0": "dead", "w-1": "dead", "w-2": "b", "w-3": "b" };
    const plan = planPlacement({ ...base, now: 5_000, placed, orphans: { "w-0": 0, "w-1": 0 }, restartsInPeriod: 2 });
    expect(plan.failed).toContain("4 restarts within 10000 ms exceed the intensity of 3");
    expect(plan.assign).toEqual({});
  });

  it("waits without live hosts, removes agents scaled away, and balances when a node joins", () => {
    expect(planPlacement({ ...base, hosts: [] }).assign).toEqual({});
    const placed = { "w-0": "a", "w-1": "a", "w-2": "a", "w-3": "a", "w-4": "a", "w-5": "a" };
    const plan = planPlacement({ ...base, desired: ids(4), placed, hosts: ["a", "b"] });
    expect([...plan.remove].sort()).toEqual(["w-4", "w-5"]);
    expect(Object.values(plan.assign)).toEqual(["b", "b"]);
    expect(plan.moved).toHaveLength(2);
    expect(plan.restarted).toEqual([]);
  });
});
