// The built-in roles on real agents with a FakeLM: the coder writes code and runs run_tests in the
// sandbox; the reviewer's verdict is bounded by the real hidden-test results; the optimizer
// enqueues the "optimization" job and reports completion; user roles are validated.
import { describe, expect, it } from "vitest";
import { byFields, FakeLM } from "../../../dspex/testing";
import { defineSkill, startAgent } from "../index";
import { applyTestEvidence, coderRole, defineRole, optimizerRole, reviewerRole, REVIEW, WRITE_CODE, type CodeAttempt, type Review, type OptimizationJobReport } from "./index";

const TESTS = [
  { name: "adds", code: "assertEqual(add(1, 2), 3)" },
  { name: "negatives", code: "assertEqual(add(-1, -2), -3)" },
];

describe("coder", () => {
  it("writes code with its role and runs it against the tests in the sandbox", async () => {
    const lm = new FakeLM(byFields((inputs) => ({ code: inputs.feedback === "(none)" ? "```js\nfunction add(a, b) { return a - b }\n```" : "function add(a, b) { return a + b }" })));
    const coder = await startAgent({ name: "coder", lm, ...coderRole().agentOptions() });
    const first = await coder.ask<CodeAttempt>({ type: WRITE_CODE, payload: { task: "Write `add(a, b)`", tests: TESTS } });
    expect(first.code).toBe("function add(a, b) { return a - b }");
    expect(first.tests).toMatchObject({ passed: 0, failed: 2, allPassed: false });
    const second = await coder.ask<CodeAttempt>({ type: WRITE_CODE, payload: { task: "Write `add(a, b)`", tests: TESTS, previousCode: first.code, feedback: "subtracts" } });
    expect(second.tests).toMatchObject({ passed: 2, allPassed: true });
    expect(lm.requests.at(-1)?.messages.at(-1)?.content).toContain("subtracts");
    await coder.stop();
  });
});

describe("reviewer", () => {
  const approving = () => new FakeLM(byFields(() => ({ approved: true, score: 0.9, issues: [], suggestions: ["add comments"] })));

  it("cannot approve code that fails the hidden tests, whatever the model says", async () => {
    const reviewer = await startAgent({ name: "reviewer", lm: approving(), ...reviewerRole().agentOptions() });
    const review = await reviewer.ask<Review>({ type: REVIEW, payload: { task: "Write `add(a, b)`", submission: "function add(a, b) { return a * b }", tests: TESTS } });
    expect(review.modelVerdict.approved).toBe(true);
    expect(review.verdict.approved).toBe(false);
    expect(review.verdict.score).toBe(0);
    expect(review.verdict.issues[0]).toContain('test "adds" fails');
    expect(review.tests).toMatchObject({ passed: 0, total: 2 });
    await reviewer.stop();
  });

  it("approves passing code when the model approves, and reviews answers without tests", async () => {
    const reviewer = await startAgent({ name: "reviewer", lm: approving(), ...reviewerRole().agentOptions() });
    const code = await reviewer.ask<Review>({ type: REVIEW, payload: { task: "Write `add(a, b)`", submission: "function add(a, b) { return a + b }", tests: TESTS } });
    expect(code.verdict).toEqual({ approved: true, score: 0.9, issues: [], suggestions: ["add comments"] });
    const answer = await reviewer.ask<Review>({ type: REVIEW, payload: { task: "What is 2 + 2?", submission: "4", criteria: "a number" } });
    expect(answer.verdict.approved).toBe(true);
    expect(answer.tests).toBeUndefined();
    await reviewer.stop();
  });

  it("a syntax error is a blocking issue with the load error", () => {
    const verdict = applyTestEvidence({ approved: true, score: 1, issues: [], suggestions: [] }, { passed: 0, failed: 1, total: 1, allPassed: false, loadError: { kind: "syntax", message: "SyntaxError: unexpected token" }, results: [], logs: [], durationMs: 1 });
    expect(verdict).toMatchObject({ approved: false, score: 0, issues: [expect.stringContaining("does not load (syntax)")] });
  });
});

describe("optimizer", () => {
  it("creates the optimization, enqueues the optimization job and reports how it ended", async () => {
    const enqueued: { kind: string; payload: unknown }[] = [];
    let polls = 0;
    const completed: OptimizationJobReport[] = [];
    const role = optimizerRole({
      createOptimization: async (request) => ({ id: `opt-${request.programName}` }),
      queue: {
        enqueue: async (kind, payload) => (enqueued.push({ kind, payload }), { id: "job-1" }),
        get: async () => (++polls < 3 ? { status: "running" } : { status: "completed", result: { bestScore: 0.8 } }),
      },
      sleep: async () => undefined,
      onCompleted: (r) => completed.push(r),
    });
    const agent = await startAgent({ name: "optimizer", ...role.agentOptions() });
    const queued = await agent.ask<OptimizationJobReport>({ type: "optimize", payload: { programName: "qa", datasetVersionId: "dv1", optimizer: "auto", budget: { lmCalls: 100 } } });
    expect(queued).toEqual({ optimizationId: "opt-qa", jobId: "job-1", status: "queued" });
    expect(enqueued).toEqual([{ kind: "optimization", payload: { optimizationId: "opt-qa" } }]);
    const done = await agent.ask<OptimizationJobReport>({ type: "optimize", payload: { programName: "qa", optimizer: "auto", waitForCompletion: true } });
    expect(done).toMatchObject({ optimizationId: "opt-qa", status: "completed", result: { bestScore: 0.8 } });
    expect(completed).toHaveLength(1);
    await expect(agent.ask({ type: "optimize", payload: { programName: "", optimizer: "auto" } }, { onCrash: "fail" })).rejects.toBeDefined();
    await agent.stop();
  });
});

describe("defineRole", () => {
  it("makes a user role from a signature, instructions and skills", async () => {
    const shout = defineSkill({ name: "shout", handlers: { shout: (p) => String(p).toUpperCase() } });
    const role = defineRole({ name: "translator", signature: "text, language -> translation", instructions: "Translate.", skills: [shout] });
    const lm = new FakeLM(byFields((inputs) => ({ translation: `[${inputs.language}] ${inputs.text}` })));
    expect(await role.module().run({ text: "hi", language: "fr" }, { lm })).toEqual({ translation: "[fr] hi" });
    const agent = await startAgent({ name: "t", lm, ...role.agentOptions() });
    expect(agent.role).toBe("translator");
    expect(await agent.ask({ type: "shout", payload: "hey" })).toBe("HEY");
    await agent.stop();
  });

  it("refuses a bad name, a bad signature and skills not made with defineSkill", () => {
    expect(() => defineRole({ name: "9 lives", signature: "a -> b" })).toThrow(/name must start with a letter/);
    expect(() => defineRole({ name: "x", signature: "a -> " })).toThrow();
    expect(() => defineRole({ name: "x", signature: "a -> b", skills: [{ name: "s" } as never] })).toThrow(/defineSkill/);
  });
});
