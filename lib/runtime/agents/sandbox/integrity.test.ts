// Sandbox integrity: the code under test cannot fake its own test results (the built-ins are
// frozen before it runs and every value the harness compares is read on the host), results and
// errors are size-capped before they leave the worker, and memory limits are clamped to the
// configured maximum instead of reaching (and aborting) the engine.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeSandboxPool, configureSandboxPool, runInSandbox, runTests } from "./index";

const OPTS = { timeoutMs: 1_000, memoryBytes: 64 * 1024 * 1024 };

afterAll(() => closeSandboxPool());

describe("the test harness is out of the reach of the code under test", () => {
  const wrong = "function answer() { return [] }";
  const test = { name: "answer", code: "assertEqual(answer(), [1, 2, 3])" };
  const cheats: Record<string, string> = {
    "Array.prototype.toJSON": "Array.prototype.toJSON = function () { return [1, 2, 3] }",
    "Object.prototype.toJSON": "Object.prototype.toJSON = function () { return [1, 2, 3] }",
    "JSON.stringify": "JSON.stringify = () => '[1,2,3]'",
    "an own toJSON": "answer = () => ({ toJSON() { return [1, 2, 3] } })",
    "Symbol.toStringTag and length": "answer = () => ({ length: 3, 0: 1, 1: 2, 2: 3, [Symbol.toStringTag]: 'Array' })",
    "Array.isArray": "Array.isArray = () => true; answer = () => ({ 0: 1, 1: 2, 2: 3, length: 3 })",
    "a replaced Array global": "Array = function () { return [1, 2, 3] }",
    "Object.keys": "Object.keys = () => []",
    "Reflect.apply": "Reflect.apply = () => 'array'",
  };

  it.each(Object.entries(cheats))("tampering with %s does not make a failing test pass", async (_name, cheat) => {
    const report = await runTests(`${wrong}\n${cheat}`, [test], OPTS);
    expect(report.results[0]).toMatchObject({ passed: false });
  });

  it("the built-ins the tests use stay intact, whatever the code under test tried", async () => {
    const code = "try { Array.prototype.map = () => ['hacked'] } catch {} try { Math.max = () => 99 } catch {} try { Promise.prototype.then = () => {} } catch {} function id(x) { return x }";
    const report = await runTests(code, [
      { name: "map", code: "assertEqual([1, 2].map((x) => x * 2), [2, 4])" },
      { name: "max", code: "assertEqual(Math.max(1, 2), 2)" },
      { name: "promise", code: "Promise.resolve(1).then((v) => assertEqual(v, 1))" },
      { name: "id", code: "assertEqual(id(5), 5)" },
    ], OPTS);
    expect(report).toMatchObject({ allPassed: true, passed: 4 });
  });

  it("ordinary code still runs under frozen built-ins: own toString, classes, subclassed errors, mutation of its own data", async () => {
    const code = `
      function Point(x) { this.x = x }
      Point.prototype.toString = function () { return "P(" + this.x + ")" };
      class Stack { constructor() { this.items = [] } push(x) { this.items.push(x); return this } }
      class Oops extends Error { constructor(m) { super(m); this.name = "Oops" } }
      const o = {}; o.toString = () => "custom"; o.valueOf = () => 41;
      function fail() { throw new Oops("no") }
      function sorted(xs) { const copy = xs.slice(); copy.sort((a, b) => a - b); return copy }`;
    const report = await runTests(code, [
      { name: "override toString", code: "assertEqual(String(new Point(3)), 'P(3)')" },
      { name: "class", code: "assertEqual(new Stack().push(1).push(2).items, [1, 2])" },
      { name: "error subclass", code: "try { fail() } catch (e) { assertEqual(e.name + ':' + e.message, 'Oops:no') }" },
      { name: "own valueOf", code: "assertEqual(o + 1, 42); assertEqual(String(o), 'custom')" },
      { name: "sort", code: "assertEqual(sorted([3, 1, 2]), [1, 2, 3])" },
    ], OPTS);
    expect(report.results.filter((r) => !r.passed)).toEqual([]);
  });

  it("runInSandbox results are read on the host: an own toJSON cannot rewrite them; dates, cycles and depth are handled", async () => {
    expect(await runInSandbox("({ toJSON() { return 'fake' }, real: 1 })", OPTS)).toMatchObject({ ok: true, value: { real: 1 } });
    expect(await runInSandbox("Array.prototype.toJSON = () => 'fake'; [1, [2]]", OPTS)).toMatchObject({ ok: true, value: [1, [2]] });
    expect(await runInSandbox("({ when: new Date(0), bad: new Date(NaN), skip: undefined, f() {} })", OPTS)).toMatchObject({ ok: true, value: { when: "1970-01-01T00:00:00.000Z", bad: null } });
    expect(await runInSandbox("const a = {}; a.self = a; a", OPTS)).toMatchObject({ ok: false, error: { kind: "output" } });
    expect(await runInSandbox("({ get x() { throw new Error('no') } })", OPTS)).toMatchObject({ ok: false, error: { kind: "runtime", message: expect.stringContaining("could not be copied out") } });
  });
});

describe("sizes are capped before anything leaves the sandbox", () => {
  it("a 20 MiB result fails with kind output instead of coming back", async () => {
    const r = await runInSandbox("'x'.repeat(20 * 1024 * 1024)", OPTS);
    expect(r).toMatchObject({ ok: false, error: { kind: "output", message: expect.stringContaining("larger than 1048576 bytes") } });
    expect(JSON.stringify(r).length).toBeLessThan(10_000);
    expect(await runInSandbox("'x'.repeat(2000)", { ...OPTS, maxOutputBytes: 1000 })).toMatchObject({ ok: false, error: { kind: "output" } });
    expect(await runInSandbox("Array.from({ length: 1e6 }, (_, i) => i)", OPTS)).toMatchObject({ ok: false, error: { kind: "output" } });
  });

  it("a 20 MiB error message, stack or assertion message is cut to a few KiB", async () => {
    const thrown = await runInSandbox("throw new Error('x'.repeat(20 * 1024 * 1024))", OPTS);
    expect(thrown).toMatchObject({ ok: false, error: { kind: "runtime", message: expect.stringContaining("more characters") } });
    expect(JSON.stringify(thrown).length).toBeLessThan(10_000);
    expect(JSON.stringify(await runInSandbox("throw 'y'.repeat(20 * 1024 * 1024)", OPTS)).length).toBeLessThan(10_000);
    const report = await runTests("function big() { return 'z'.repeat(20 * 1024 * 1024) }", [
      { name: "assert message", code: "assert(false, big())" },
      { name: "compare", code: "assertEqual(big(), 'short')" },
      { name: "throws", code: "throw new Error(big())" },
    ], OPTS);
    expect(report.failed).toBe(3);
    for (const r of report.results) expect(r.error!.length).toBeLessThan(10_000);
  });
});

describe("memory limits", () => {
  afterEach(() => configureSandboxPool({}));

  it("a memoryBytes of 8 GiB is clamped to the configured maximum; the engine keeps working", async () => {
    await configureSandboxPool({ maxMemoryBytes: 16 * 1024 * 1024 });
    const huge = { timeoutMs: 2_000, memoryBytes: 8 * 1024 ** 3 };
    expect(await runInSandbox("[1, 2, 3].map((x) => x * 2)", huge)).toMatchObject({ ok: true, value: [2, 4, 6] });
    expect(await runInSandbox("'x'.repeat(64 * 1024 * 1024).length", huge)).toMatchObject({ ok: false, error: { kind: "memory", message: expect.stringContaining("the limit is 16777216 bytes") } });
    expect(await runInSandbox("'x'.repeat(1024 * 1024).length", huge)).toMatchObject({ ok: true, value: 1024 * 1024 });
  });
});
