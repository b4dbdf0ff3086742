// 500 sandboxes in a row: everything is disposed, so the workers' WebAssembly memory and the host
// heap stay bounded, and no worker crashes (measured, printed, compared with generous bounds; never timed).
import { afterAll, describe, expect, it } from "vitest";
import { closeSandboxPool, runInSandbox, sandboxPoolStats, sandboxWasmBytes } from "./index";

afterAll(() => closeSandboxPool());

describe("sandbox memory over many runs", () => {
  it("stays bounded over 500 runs, including failing ones", async () => {
    const codes = ["[1, 2, 3].map((x) => x * x)", "let a = [1]; while (true) a = a.concat(a)", "while (true) {}", "null.x", "console.log('hi'); ({ ok: true })"];
    for (let i = 0; i < 20; i++) await runInSandbox(codes[i % codes.length]!, { timeoutMs: 50, memoryBytes: 4 * 1024 * 1024 });
    const wasmAfterWarmup = await sandboxWasmBytes();
    const heapAfterWarmup = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (let i = 0; i < 500; i++) {
      const r = await runInSandbox(codes[i % codes.length]!, { timeoutMs: 50, memoryBytes: 4 * 1024 * 1024 });
      if (i % codes.length === 0) expect(r).toMatchObject({ ok: true, value: [1, 4, 9] });
    }
    const elapsed = performance.now() - started;
    const wasmAfter = await sandboxWasmBytes();
    const heapAfter = process.memoryUsage().heapUsed;
    console.info(`sandbox x500: wasm ${wasmAfterWarmup} -> ${wasmAfter} bytes; host heap ${(heapAfterWarmup / 1e6).toFixed(1)} -> ${(heapAfter / 1e6).toFixed(1)} MB; ${(elapsed / 500).toFixed(2)} ms per run (incl. timeouts)`);
    expect(wasmAfter).toBeLessThanOrEqual(wasmAfterWarmup + 8 * 1024 * 1024);
    expect(heapAfter - heapAfterWarmup).toBeLessThan(64 * 1024 * 1024);
    expect(sandboxPoolStats()).toMatchObject({ crashed: 0, queued: 0, busy: 0 });
  });
});
