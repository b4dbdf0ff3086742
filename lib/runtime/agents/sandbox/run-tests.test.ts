// runTests: tests are snippets run against the code's top-level functions in a fresh sandbox each;
// assertions compare on the host; a broken solution fails every test with its load error.
import { afterAll, describe, expect, it } from "vitest";
import { closeSandboxPool, runTests } from "./index";

const OPTS = { timeoutMs: 300, memoryBytes: 8 * 1024 * 1024 };

afterAll(() => closeSandboxPool());

describe("runTests", () => {
  it("passes and fails tests with readable reasons", async () => {
    const report = await runTests("function add(a, b) { return a + b }", [
      { name: "adds", code: "assertEqual(add(1, 2), 3)" },
      { name: "arrays", code: "assertEqual([add(1, 1)], [2])" },
      { name: "wrong", code: "assertEqual(add(1, 2), 4, 'one plus two')" },
      { name: "assert", code: "assert(add(0, 0) === 1, 'zero')" },
      { name: "loops", code: "while (true) {}" },
    ], OPTS);
    expect(report).toMatchObject({ passed: 2, failed: 3, total: 5, allPassed: false });
    expect(report.results.map((r) => r.error)).toEqual([undefined, undefined, "AssertionError: one plus two: expected 4, got 3", "AssertionError: zero", expect.stringMatching(/^timeout:/)]);
  });

  it("isolates tests from each other", async () => {
    const report = await runTests("let count = 0; function next() { return ++count }", [
      { name: "first", code: "assertEqual(next(), 1)" },
      { name: "again", code: "assertEqual(next(), 1)" },
    ], OPTS);
    expect(report.allPassed).toBe(true);
  });

  it("fails every test with the load error when the code does not load", async () => {
    const report = await runTests("function broken( {", [{ name: "a", code: "assert(true)" }], OPTS);
    expect(report).toMatchObject({ passed: 0, failed: 1, loadError: { kind: "syntax" } });
  });

  it("does not let the code under test replace the assertions", async () => {
    const cheat = "function f() { return 1 } function assertEqual() {} Object.defineProperty(globalThis, 'assert', { value: () => {}, configurable: false })";
    const report = await runTests(cheat, [{ name: "cheat", code: "assertEqual(f(), 2)" }], OPTS);
    expect(report.allPassed).toBe(false);
  });
});
