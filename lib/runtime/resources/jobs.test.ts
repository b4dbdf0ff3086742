import { describe, expect, test } from "vitest";
import { CircuitOpenError, createBreakers, createJobPolicy, isJobFailure, JobTimeoutError, type JobContext } from ".";

const transient = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });

describe("createJobPolicy (plain async functions)", () => {
  test("retries transient failures with backoff and returns the result", async () => {
    const attempts: number[] = [];
    const policy = createJobPolicy({ retry: { maxAttempts: 4, initialDelayMs: 5 } });
    const value = await policy.run("sync-prices", async ({ attempt }) => {
      attempts.push(attempt);
      if (attempt < 2) throw transient();
      return "synced";
    });
    expect(value).toBe("synced");
    expect(attempts).toEqual([0, 1, 2]);
  });

  test("a failure that is not transient is not retried", async () => {
    let calls = 0;
    const policy = createJobPolicy({ retry: { maxAttempts: 4, initialDelayMs: 1 } });
    await expect(
      policy.run("bad", async () => {
        calls++;
        throw new TypeError("x is undefined");
      }),
    ).rejects.toThrow(TypeError);
    expect(calls).toBe(1);
  });

  test("each attempt times out (its signal aborts) and a timed-out attempt is retried", async () => {
    const signals: AbortSignal[] = [];
    const policy = createJobPolicy({ timeoutMs: 50, retry: { maxAttempts: 2, initialDelayMs: 1 } });
    const started = performance.now();
    const error = await policy
      .run("slow", (ctx: JobContext) => {
        signals.push(ctx.signal);
        return new Promise<never>(() => undefined);
      })
      .catch((e: unknown) => e as JobTimeoutError);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect(error.code).toBe("TIMEOUT");
    expect(error.message).toBe('job "slow": attempt 2 ran past 50 ms; raise timeoutMs or make the job faster');
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  test("a breaker opens on repeated failures and then fails fast without running the job", async () => {
    const breakers = createBreakers({ consecutiveFailures: 2, isFailure: isJobFailure, halfOpenAfterMs: 60_000 });
    const policy = createJobPolicy({ breaker: { breakers, key: "warehouse" } });
    let runs = 0;
    const job = async () => {
      runs++;
      throw new Error("warehouse unreachable");
    };
    await expect(policy.run("export", job)).rejects.toThrow("warehouse unreachable");
    await expect(policy.run("export", job)).rejects.toThrow("warehouse unreachable");
    await expect(policy.run("export", job)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(runs).toBe(2);
    expect(breakers.state("warehouse").state).toBe("open");
  });

  test("the caller's abort reaches the job and ends the run", async () => {
    const controller = new AbortController();
    const policy = createJobPolicy({ timeoutMs: 5_000, retry: { maxAttempts: 3 } });
    const pending = policy.run("long", ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("stopped")))), controller.signal);
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: "ABORTED" });
  });

  test("bad options fail with errors naming the option, the value and the fix", () => {
    expect(() => createJobPolicy({ timeoutMs: 0 })).toThrow('createJobPolicy: option "timeoutMs" must be a whole number of milliseconds > 0 (got 0)');
    expect(() => createJobPolicy({ retry: { maxAttempts: 0 } })).toThrow('createJobPolicy: option "maxAttempts" must be a whole number of attempts >= 1 (1 = no retries) (got 0)');
    expect(() => createJobPolicy({ breaker: { key: "x" } } as never)).toThrow('option "breaker.breakers" must be a breaker registry (createBreakers)');
  });
});
