// The contract every Clock meets, as a vitest suite. The factory returns the clock and a way to
// let `ms` pass (real waiting for the system clock, `advance` for a FakeClock).
import { describe, expect, it } from "vitest";
import type { Clock } from "../clock";

export interface ClockUnderTest {
  readonly clock: Clock;
  /** Lets at least `ms` pass on this clock and runs whatever fell due. */
  pass(ms: number): Promise<void>;
}

export function describeClockContract(name: string, make: () => ClockUnderTest): void {
  describe(`Clock contract: ${name}`, () => {
    it("now() never goes backwards and moves with time", async () => {
      const { clock, pass } = make();
      const t0 = clock.now();
      await pass(20);
      expect(clock.now()).toBeGreaterThanOrEqual(t0 + 20);
    });

    it("fires a timer once its delay has passed, in order of due time", async () => {
      const { clock, pass } = make();
      const fired: string[] = [];
      clock.setTimeout(() => fired.push("late"), 30);
      clock.setTimeout(() => fired.push("early"), 10);
      expect(fired).toEqual([]);
      await pass(60);
      expect(fired).toEqual(["early", "late"]);
    });

    it("clearTimeout cancels a timer; clearing twice is harmless", async () => {
      const { clock, pass } = make();
      let fired = false;
      const timer = clock.setTimeout(() => (fired = true), 10);
      clock.clearTimeout(timer);
      clock.clearTimeout(timer);
      await pass(30);
      expect(fired).toBe(false);
    });

    it("sleep resolves after the delay and rejects with the signal's reason on abort", async () => {
      const { clock, pass } = make();
      let slept = false;
      const sleeping = clock.sleep(10).then(() => (slept = true));
      await pass(30);
      await sleeping;
      expect(slept).toBe(true);
      const controller = new AbortController();
      const aborted = clock.sleep(1000, controller.signal);
      controller.abort(new Error("cancelled"));
      await expect(aborted).rejects.toThrow("cancelled");
      await expect(clock.sleep(10, controller.signal)).rejects.toThrow("cancelled");
    });
  });
}
