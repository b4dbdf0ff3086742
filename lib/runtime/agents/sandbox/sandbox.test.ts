// The sandbox refuses to escape: no host modules, process, file system, network or host objects;
// infinite loops stop at the deadline, memory bombs fail with kind "memory", deep recursion fails
// cleanly, and the host (and later runs) carry on. Never asserts timings.
import { afterAll, describe, expect, it } from "vitest";
import { closeSandboxPool, runInSandbox, SandboxOptionsError } from "./index";

const LIMITS = { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 };

async function value(code: string): Promise<unknown> {
  const r = await runInSandbox(code, LIMITS);
  if (!r.ok) throw new Error(`expected a value, got ${r.error.kind}: ${r.error.message}`);
  return r.value;
}

afterAll(() => closeSandboxPool());

describe("runInSandbox", () => {
  it("returns the completion value, reads input and captures console output", async () => {
    const r = await runInSandbox("console.log('doubling', input.x, { a: 1 }); console.error('careful'); input.x * 2", { ...LIMITS, input: { x: 21 } });
    expect(r).toMatchObject({ ok: true, value: 42 });
    expect(r.logs).toEqual([
      { level: "log", text: 'doubling 21 {"a":1}' },
      { level: "error", text: "careful" },
    ]);
    expect(await value("({ list: [1, 'two', null], nested: { ok: true } })")).toEqual({ list: [1, "two", null], nested: { ok: true } });
    expect(await value("Promise.resolve(7)")).toBe(7);
  });

  it("has no require, import, process, file system, network, timers or host globals", async () => {
    const names = ["require", "process", "module", "exports", "Buffer", "fetch", "XMLHttpRequest", "WebSocket", "setTimeout", "setInterval", "std", "os", "Deno", "Bun", "global"];
    expect(await value(`[${names.map((n) => `typeof ${n}`).join(",")}]`)).toEqual(names.map(() => "undefined"));
    expect(await value("Object.getOwnPropertyNames(globalThis).filter((n) => /process|require|fetch|fs|os|std/.test(n))")).toEqual([]);
  });

  it("closes the usual escape hatches", async () => {
    expect(await value("({}).constructor.constructor('return typeof process')()")).toBe("undefined");
    expect(await value("Function('return this')() === globalThis")).toBe(true);
    expect(await value("(function(){ return typeof this.process })()")).toBe("undefined");
    expect(await value("globalThis.constructor.constructor('return typeof require')()")).toBe("undefined");
    const imported = await runInSandbox("import('fs')", LIMITS);
    expect(imported).toMatchObject({ ok: false, error: { kind: "runtime" } });
    const required = await runInSandbox("require('child_process').execSync('id')", LIMITS);
    expect(required).toMatchObject({ ok: false, error: { kind: "runtime", message: expect.stringContaining("require") } });
    const fetched = await runInSandbox("fetch('http://example.com')", LIMITS);
    expect(fetched).toMatchObject({ ok: false, error: { kind: "runtime" } });
  });

  it("a fresh context per call: globals do not leak from one run to the next", async () => {
    await value("globalThis.secret = 'left behind'; Object.prototype.polluted = 1; 0");
    expect(await value("[typeof secret, typeof ({}).polluted]")).toEqual(["undefined", "undefined"]);
  });

  it("stops an infinite loop at the deadline, even one that catches errors", async () => {
    expect(await runInSandbox("while (true) {}", LIMITS)).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(await runInSandbox("for (;;) { try { while (true) {} } catch (e) {} }", LIMITS)).toMatchObject({ ok: false, error: { kind: "timeout" } });
    expect(await value("1 + 1")).toBe(2);
  });

  it("fails memory bombs (kind memory, or timeout when the hard deadline kills the worker first) and keeps the host alive", async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    // On a loaded machine a bomb may reach the hard deadline before QuickJS reports the memory limit.
    const bombed = { ok: false, error: { kind: expect.stringMatching(/^(memory|timeout)$/) } };
    expect(await runInSandbox("let a = [1]; while (true) a = a.concat(a)", LIMITS)).toMatchObject(bombed);
    expect(await runInSandbox("let s = 'ab'; while (true) s = (s + s).split('').join('')", LIMITS)).toMatchObject(bombed);
    // One allocation over the limit is refused at once: always kind memory.
    expect(await runInSandbox("'x'.repeat(1e8).length", LIMITS)).toMatchObject({ ok: false, error: { kind: "memory" } });
    expect(await runInSandbox("let s = 'x'; while (true) s += s", LIMITS)).toMatchObject(bombed);
    // The guest's heap lives in WebAssembly memory, not in the host's JS heap.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(await value("[1, 2, 3].map((x) => x * 2)")).toEqual([2, 4, 6]);
  });

  it("fails deep recursion cleanly with a short stack", async () => {
    const r = await runInSandbox("function f(n) { return f(n + 1) + 1 } f(0)", LIMITS);
    expect(r).toMatchObject({ ok: false, error: { kind: "runtime", message: expect.stringContaining("stack overflow") } });
    if (!r.ok) expect(r.error.stack?.split("\n").length ?? 0).toBeLessThanOrEqual(6);
    expect(await value("JSON.stringify({ a: [1] })")).toBe('{"a":[1]}');
  });

  it("reports syntax and runtime errors as data", async () => {
    expect(await runInSandbox("function (", LIMITS)).toMatchObject({ ok: false, error: { kind: "syntax" } });
    expect(await runInSandbox("null.x", LIMITS)).toMatchObject({ ok: false, error: { kind: "runtime", message: expect.stringContaining("TypeError") } });
    expect(await runInSandbox("throw 5", LIMITS)).toMatchObject({ ok: false, error: { kind: "runtime", message: "uncaught 5" } });
    expect(await runInSandbox("Promise.reject(new RangeError('no'))", LIMITS)).toMatchObject({ ok: false, error: { kind: "runtime", message: "RangeError: no" } });
  });

  it("caps console output", async () => {
    const r = await runInSandbox("for (let i = 0; i < 10000; i++) console.log('x'.repeat(100)); 1", { ...LIMITS, maxLogChars: 1000 });
    expect(r.ok).toBe(true);
    expect(r.logs.reduce((n, l) => n + l.text.length, 0)).toBeLessThan(1100);
  });

  it("refuses bad options with a typed error naming the field", async () => {
    await expect(runInSandbox("1", { timeoutMs: -1 })).rejects.toBeInstanceOf(SandboxOptionsError);
    await expect(runInSandbox("1", { stackBytes: 4 * 1024 * 1024 })).rejects.toMatchObject({ field: "stackBytes" });
  });
});
