import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sleep } from "./abortable-sleep";

describe("sleep in a periodic loop", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("leaves no abort listener behind after each wait (a heartbeat every 5 s would pile them up)", async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) {
      const waited = sleep(5_000, stop.signal);
      await vi.advanceTimersByTimeAsync(5_000);
      await waited;
    }
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
  });

  it("ends at once when the signal aborts", async () => {
    const stop = new AbortController();
    let done = false;
    void sleep(60_000, stop.signal).then(() => (done = true));
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });
});
