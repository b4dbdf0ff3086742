// A wait for the runtime's periodic loops (heartbeat, daily retention) that a stop cuts short.

/** Waits `ms`, or less when `signal` aborts; leaves no listener on the (long-lived) signal either way. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
