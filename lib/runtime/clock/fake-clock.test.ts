import { describe, expect, it } from "vitest";
import { FakeClock } from "./index";

describe("FakeClock", () => {
  it("starts at 2026-01-01 unless told otherwise, and stands still until advanced", async () => {
    expect(new Date(new FakeClock().now()).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    const clock = new FakeClock({ start: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.now()).toBe(1000);
    await clock.advance(250);
    expect(clock.now()).toBe(1250);
  });

  it("fires a timer exactly at its due time, not a millisecond before", async () => {
    const clock = new FakeClock({ start: 0 });
    const seen: number[] = [];
    clock.setTimeout(() => seen.push(clock.now()), 100);
    await clock.advance(99);
    expect(seen).toEqual([]);
    await clock.advance(1);
    expect(seen).toEqual([100]);
  });

  it("runs ties in the order they were set, and reads the timer's own time inside callbacks", async () => {
    const clock = new FakeClock({ start: 0 });
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`x@${clock.now()}`), 50);
    clock.setTimeout(() => seen.push(`y@${clock.now()}`), 50);
    clock.setTimeout(() => seen.push(`z@${clock.now()}`), 20);
    await clock.advance(1000);
    expect(seen).toEqual(["z@20", "x@50", "y@50"]);
    expect(clock.now()).toBe(1000);
  });

  it("fires timers that async code sets in reaction to an earlier timer within the same advance", async () => {
    const clock = new FakeClock({ start: 0 });
    const seen: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(10);
        await Promise.resolve();
        seen.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(30);
    await done;
    expect(seen).toEqual([10, 20, 30]);
  });

  it("reports pending timers and the next due time; runAll drains them", async () => {
    const clock = new FakeClock({ start: 0 });
    expect(clock.nextAt()).toBeUndefined();
    clock.setTimeout(() => undefined, 70);
    clock.setTimeout(() => clock.setTimeout(() => undefined, 5), 30);
    expect(clock.pending()).toBe(2);
    expect(clock.nextAt()).toBe(30);
    expect(await clock.runAll()).toBe(3);
    expect(clock.pending()).toBe(0);
    expect(clock.now()).toBe(70);
  });

  it("treats negative and NaN delays as 0", async () => {
    const clock = new FakeClock({ start: 0 });
    let fired = 0;
    clock.setTimeout(() => fired++, -5);
    clock.setTimeout(() => fired++, Number.NaN);
    await clock.advance(0);
    expect(fired).toBe(2);
  });
});
