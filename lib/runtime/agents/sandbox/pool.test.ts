// The pool: guest code runs in worker threads with a hard deadline. Bombs that used to overrun
// their limit inside a QuickJS built-in (seconds, blocking the host) now end at the deadline with
// the host's event loop ticking throughout; the pool survives terminations and concurrent runs.
// Timings are asserted with generous bounds only (each bomb took 5-14 s before the pool).
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { closeSandboxPool, configureSandboxPool, runInSandbox, runTests, sandboxPoolStats } from "./index";

const BOMBS = [
  "let a = []; for (;;) a.push('x'.repeat(1 << 20) + a.length)",
  "let a = []; for (;;) a.push(new Array(1e5).fill())",
  "let a = []; for (;;) { try { a.push('x'.repeat(1 << 20) + a.length) } catch (e) {} }",
  "let a = [1]; while (true) a = a.concat(a)",
];

/** Runs `body` while a 10 ms interval counts; returns its result and the ticks seen. */
async function ticking<T>(body: () => Promise<T>): Promise<{ result: T; ticks: number; ms: number }> {
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  const started = performance.now();
  try {
    const result = await body();
    return { result, ticks, ms: performance.now() - started };
  } finally {
    clearInterval(interval);
  }
}

afterAll(() => closeSandboxPool());

describe("sandbox pool", () => {
  afterEach(() => configureSandboxPool({}));

  it("ends the previously slow memory bombs at the hard deadline while the host's event loop keeps ticking", async () => {
    await runInSandbox("0"); // a warm pool: the bound below is about the run, not a worker's cold start
    for (const bomb of BOMBS) {
      const { result, ticks, ms } = await ticking(() => runInSandbox(bomb, { timeoutMs: 100, memoryBytes: 8 * 1024 * 1024 }));
      console.info(`bomb ended in ${ms.toFixed(0)} ms with ${result.ok ? "ok" : result.error.kind}, ${ticks} host ticks: ${bomb}`);
      expect(result).toMatchObject({ ok: false, error: { kind: expect.stringMatching(/^(timeout|memory)$/) } });
      expect(ms).toBeLessThan(5_000);
      expect(ticks).toBeGreaterThanOrEqual(3);
    }
    expect(await runInSandbox("[1, 2].map((x) => x + 1)")).toMatchObject({ ok: true, value: [2, 3] });
  });

  it("a bomb inside a test fails that test only, within its deadline", async () => {
    const { result: report, ms } = await ticking(() =>
      runTests("function twice(x) { return 2 * x }", [
        { name: "bomb", code: "let a = []; for (;;) a.push('x'.repeat(1 << 20) + a.length)" },
        { name: "ok", code: "assertEqual(twice(2), 4)" },
      ], { timeoutMs: 100, memoryBytes: 8 * 1024 * 1024 }),
    );
    expect(report).toMatchObject({ passed: 1, failed: 1, results: [{ name: "bomb", passed: false, error: expect.stringMatching(/^(timeout|memory):/) }, { name: "ok", passed: true }] });
    expect(ms).toBeLessThan(10_000);
  });

  it("stays healthy: 200 runs after several terminations", async () => {
    for (let i = 0; i < 4; i++) expect(await runInSandbox(BOMBS[0]!, { timeoutMs: 50, memoryBytes: 8 * 1024 * 1024 })).toMatchObject({ ok: false });
    const before = sandboxPoolStats();
    expect(before.terminated).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 200; i++) expect(await runInSandbox("input * 2", { input: i })).toMatchObject({ ok: true, value: i * 2 });
    // A replacement for the last terminated worker may still be loading QuickJS (a few hundred ms,
    // longer on a loaded machine); the pool is healthy once every worker is ready again.
    await vi.waitFor(() => expect(sandboxPoolStats().ready).toBe(before.size), { timeout: 20_000, interval: 50 });
    const after = sandboxPoolStats();
    expect(after).toMatchObject({ size: before.size, ready: before.size, busy: 0, queued: 0, crashed: 0 });
    expect(after.started).toBe(after.size + after.terminated);
  });

  it("runs many at once, more than there are workers, with bombs among them", async () => {
    await configureSandboxPool({ size: 2 });
    const runs = Array.from({ length: 24 }, (_, i) => (i % 6 === 5 ? runInSandbox(BOMBS[i % 2]!, { timeoutMs: 100, memoryBytes: 8 * 1024 * 1024 }) : runInSandbox("let s = 0; for (let k = 0; k <= input; k++) s += k; s", { input: i })));
    const results = await Promise.all(runs);
    results.forEach((r, i) => {
      if (i % 6 === 5) expect(r).toMatchObject({ ok: false, error: { kind: expect.stringMatching(/^(timeout|memory)$/) } });
      else expect(r).toMatchObject({ ok: true, value: (i * (i + 1)) / 2 });
    });
    const reports = await Promise.all(Array.from({ length: 4 }, (_, i) => runTests(`function id(x) { return x }`, [{ name: "id", code: `assertEqual(id(${i}), ${i})` }])));
    expect(reports.every((r) => r.allPassed)).toBe(true);
  });

  it("a worker that runs out of its own heap answers memory and is replaced", async () => {
    await configureSandboxPool({ size: 1, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } });
    // The guest's heap is WebAssembly memory; copying a huge result out lands in the worker's JS heap.
    const r = await runInSandbox("Array.from({ length: 3e5 }, (_, i) => ({ i, s: 'item' + i }))", { timeoutMs: 10_000, memoryBytes: 256 * 1024 * 1024 });
    expect(r).toMatchObject({ ok: false, error: { kind: "memory" } });
    expect(await runInSandbox("'still' + ' here'")).toMatchObject({ ok: true, value: "still here" });
    expect(sandboxPoolStats().crashed).toBe(1);
  });

  it("closing rejects runs in flight; the next run starts a new pool", async () => {
    const inFlight = expect(runInSandbox("while (true) {}", { timeoutMs: 5_000 })).rejects.toThrow(/closed/);
    await closeSandboxPool();
    await inFlight;
    expect(await runInSandbox("1 + 1")).toMatchObject({ ok: true, value: 2 });
  });

  it("refuses input that is not JSON", async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(runInSandbox("input", { input: circular })).rejects.toMatchObject({ field: "input" });
  });
});
