// The demo team with the offline demo model: every bundled task ends approved with all hidden tests
// passing, the first attempt is sent back (the documented flaw), agent:state events validate
// against the shared schema, and the job definition runs the same loop.
import { describe, expect, it } from "vitest";
import { createDemoLM } from "../../../dspex";
import { byFields, FakeLM } from "../../../dspex/testing";
import { AgentStateSchema } from "../../../schemas";
import type { JobRunContext } from "../../jobs";
import { runTests } from "../sandbox";
import { createDemoTeamJob, DEMO_TASKS, demoTasksById, runDemoTeam, type DemoTeamJobResult } from "./index";

describe("bundled tasks", () => {
  it("every visible example and hidden test is satisfiable (checked with a reference solution per task)", async () => {
    const reference: Record<string, string> = {
      fizzbuzz: "function fizzbuzz(n){const o=[];for(let i=1;i<=n;i++)o.push(i%15===0?'FizzBuzz':i%3===0?'Fizz':i%5===0?'Buzz':String(i));return o}",
      "reverse-words": "function reverseWords(s){return s.trim().split(/\\s+/).filter(Boolean).reverse().join(' ')}",
      "is-palindrome": "function isPalindrome(s){const t=s.toLowerCase().replace(/[^a-z0-9]/g,'');return t===[...t].reverse().join('')}",
      "sum-of-digits": "function sumOfDigits(n){return [...String(Math.abs(n))].reduce((a,d)=>a+ +d,0)}",
      "run-length-encoding": "function runLengthEncode(s){return (s.match(/(.)\\1*/g)||[]).map(r=>r.length+r[0]).join('')}",
      "word-count": "function wordCount(s){const c={};for(const w of s.toLowerCase().match(/[a-z0-9']+/g)||[])c[w]=(c[w]||0)+1;return c}",
      "flatten-array": "function flatten(a){return a.flat(Infinity)}",
      clamp: "function clamp(x,lo,hi){return Math.min(hi,Math.max(lo,x))}",
    };
    expect(DEMO_TASKS).toHaveLength(8);
    for (const task of DEMO_TASKS) {
      const report = await runTests(reference[task.id]!, [...task.examples, ...task.hiddenTests]);
      expect(report.allPassed, `${task.id}: ${JSON.stringify(report.results.filter((r) => !r.passed))}`).toBe(true);
    }
  });

  it("refuses unknown task ids by name", () => {
    expect(() => demoTasksById(["nope"])).toThrow(/unknown task "nope"/);
  });
});

describe("runDemoTeam", () => {
  it("runs with the demo model: first attempts are sent back, every task ends approved and passing", async () => {
    const events: unknown[] = [];
    const result = await runDemoTeam({ lm: createDemoLM({ seed: 1 }), publish: (e) => events.push(e) });
    console.info(`demo team (demo model, seed 1): ${result.approved}/${result.tasks.length} approved, ${result.passing} passing, ${result.totalRounds} rounds: ${result.tasks.map((t) => `${t.taskId}=${t.rounds.length}`).join(" ")}`);
    expect(result.tasks).toHaveLength(8);
    expect(result.approved).toBe(8);
    expect(result.passing).toBe(8);
    for (const task of result.tasks) {
      expect(task.rounds[0]!.verdict.approved).toBe(false);
      expect(task.rounds[0]!.hiddenTests?.allPassed).toBe(false);
      expect(task.rounds[1]!.feedback).toContain("fails");
      expect(task.finalTests?.allPassed).toBe(true);
    }
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(AgentStateSchema.safeParse(e).success).toBe(true);
    expect(new Set(events.map((e) => (e as { role: string }).role))).toEqual(new Set(["coder", "reviewer"]));
  });

  it("stops at maxRounds when the reviewer never approves", async () => {
    const lm = new FakeLM(byFields((_inputs, outputs) => (outputs.includes("code") ? { code: "function clamp(x) { return x }" } : { approved: false, score: 0.1, issues: ["no"], suggestions: [] })));
    const result = await runDemoTeam({ lm, tasks: demoTasksById(["clamp"]), maxRounds: 2 });
    expect(result.tasks[0]).toMatchObject({ approved: false });
    expect(result.tasks[0]!.rounds).toHaveLength(2);
  });

  it("runs as the demo-team job and stores a summary", async () => {
    const job = createDemoTeamJob({ lmFor: () => createDemoLM({ seed: 2 }) });
    expect(job.kind).toBe("demo-team");
    const progress: unknown[] = [];
    const ctx = { jobId: "j1", signal: new AbortController().signal, attempt: 1, maxAttempts: 1, workerId: "w", progress: async (v: unknown) => void progress.push(v), log: console } as unknown as JobRunContext;
    const result = (await job.run(job.payload.parse({ tasks: ["fizzbuzz", "clamp"] }), ctx)) as DemoTeamJobResult;
    expect(result).toMatchObject({ approved: 2, passing: 2 });
    expect(result.tasks.map((t) => t.taskId)).toEqual(["fizzbuzz", "clamp"]);
    expect(progress.length).toBe(result.totalRounds);
  });
});
