// Budget discipline of the trial protocol: reservations before an evaluation starts, refusals that
// cost nothing, reuse of scores already earned, the reserve for the final validation, per-trial
// counts of calls actually made, and a resumed run that takes the same budget decisions.
import { describe, expect, it } from "vitest";
import type { LMRequest } from "../lm/types";
import { Predict } from "../modules";
import { byFields, FakeLM, inputsOf } from "../testing";
import { discoverSpace } from "../variables";
import { exact, items } from "./bootstrap/test-fixture";
import { memoryCheckpointStore, runOptimization, Study, type Optimizer, type OptimizerContext } from "./index";

/** Right on even items, and on every item once the instructions say "carefully". */
function taskLM(options: { failFirstAttemptOf?: (n: number) => boolean } = {}) {
  const attempts = new Map<string, number>();
  return new FakeLM((request: LMRequest) => {
    const q = inputsOf(request).question ?? "";
    const n = Number(q.replace(/\D/g, ""));
    const seen = (attempts.get(q) ?? 0) + 1;
    attempts.set(q, seen);
    if (options.failFirstAttemptOf?.(n) && seen === 1) return "no markers at all";
    const system = request.messages[0]!.content;
    const right = n % 2 === 0 || system.includes("carefully");
    return byFields(() => ({ answer: right ? q.toUpperCase() : "wrong" }))(request, 0);
  });
}

const program = () => new Predict("question -> answer", { instructions: "Answer." });
const space = () => discoverSpace(program()).select(["instructions"]);

async function openStudy(budget: { lmCalls: number }, lm = taskLM()) {
  return Study.open({ optimizer: "test", program: program(), space: space(), trainset: items(10), valset: items(10, 100), metric: exact, lm, seed: 1, budget });
}

/** An optimizer that runs a scripted body against the study. */
function scripted(body: (ctx: OptimizerContext) => Promise<void>, best = { instructions: "Answer carefully." }): Optimizer {
  return { name: "scripted", plan: () => ({ lmCalls: 0, trials: 0 }), run: async (ctx) => (await body(ctx), { best }) };
}

describe("the trial protocol's budget discipline", () => {
  it("refuses an evaluation the budget cannot pay for: nothing runs, nothing is recorded", async () => {
    const study = await openStudy({ lmCalls: 15 });
    await study.evaluate(study.space.defaults());
    expect(study.spend.lmCalls).toBe(10);
    const refused = await study.evaluate({ instructions: "Answer carefully." });
    expect(refused.refused).toMatch(/the budget cannot pay for 10 example\(s\) \(about 10 calls; 5 available\)/);
    expect(study.trials).toHaveLength(1);
    expect(study.spend.lmCalls).toBe(10);
    const fits = await study.evaluate({ instructions: "Answer carefully." }, { examples: [0, 1, 2, 3, 4] });
    expect(fits.result.state).toBe("complete");
    expect(study.spend.lmCalls).toBe(15);
  });

  it("reuses the scores a configuration already has: a later full evaluation pays only for the missing examples", async () => {
    const study = await openStudy({ lmCalls: 100 });
    const config = { instructions: "Answer carefully." };
    await study.evaluate(config, { examples: [0, 1, 2, 3] });
    const before = study.spend.lmCalls;
    const { result } = await study.evaluate(config);
    expect(result.evaluation).toBe("full");
    expect(result.examples).toHaveLength(10);
    expect(result.score).toBe(1);
    expect(result.lmCalls).toBe(6);
    expect(study.spend.lmCalls - before).toBe(6);
    expect(result.meta?.reusedExamples).toEqual([0, 1, 2, 3]);
    expect(study.fullScore(config)).toBe(1);
  });

  it("keeps the calls to validate the final candidate: only the finalist may use them, and proposals never", async () => {
    const study = await openStudy({ lmCalls: 25 });
    await study.evaluate(study.space.defaults());
    study.setFinalReserve(10);
    expect(study.headroom()).toBe(5);
    expect((await study.evaluate({ instructions: "Answer carefully." })).refused).toBeDefined();
    // A proposal call may not eat into the reserve either once the free calls are used.
    await study.evaluate({ instructions: "Answer carefully." }, { examples: [0, 1, 2, 3, 4] });
    await expect(new Predict("topic -> instruction").run({ topic: "x" }, { lm: study.promptLM })).rejects.toThrow(/Budget spent: .*set aside/);
    const final = await study.evaluate({ instructions: "Answer carefully." }, { finalist: true });
    expect(final.result.state).toBe("complete");
    expect(final.result.lmCalls).toBe(5);
    expect(study.spend.lmCalls).toBe(20);
  });

  it("counts per trial only the calls made, and keeps the finished examples of an evaluation the budget cut short", async () => {
    // Odd items need a second attempt (the first reply has no markers): 2 calls instead of 1.
    const lm = taskLM({ failFirstAttemptOf: (n) => n % 2 === 1 });
    const study = await openStudy({ lmCalls: 13 }, lm);
    const { result } = await study.evaluate(study.space.defaults());
    expect(lm.requests.length).toBe(13);
    expect(result.lmCalls).toBe(13);
    expect(result.state).toBe("pruned");
    expect(result.error).toMatch(/stopped: budget \(\d+ of 10 examples not finished; the \d+ finished are kept\)/);
    expect(result.examples.length).toBeGreaterThan(0);
    expect(result.examples.length).toBeLessThan(10);
    expect(result.scores).toHaveLength(result.examples.length);
    expect(study.spend.lmCalls).toBe(13);
  });

  it("never returns worse than the baseline, validates the recommendation from the reserve, and says where the calls went", async () => {
    const report = await runOptimization({
      optimizer: scripted(async (ctx) => {
        await ctx.study.evaluate({ instructions: "Answer quickly." }, { examples: [0, 1, 2, 3, 4] });
        await ctx.study.evaluate({ instructions: "Answer carefully." }, { examples: [0, 1, 2, 3, 4] });
      }),
      program: program(),
      space: space(),
      trainset: items(10),
      valset: items(10, 100),
      metric: exact,
      lm: taskLM(),
      seed: 1,
      budget: { lmCalls: 30 },
    });
    expect(report.bestScore).toBe(1);
    expect(report.baselineScore).toBe(0.5);
    expect(report.config.instructions).toBe("Answer carefully.");
    expect(report.spend.lmCalls).toBe(25);
    expect(report.budgetUse).toMatchObject({ baseline: { lmCalls: 10 }, minibatches: { lmCalls: 10 }, finalValidation: { lmCalls: 5 }, proposals: { lmCalls: 0 } });
    expect(report.trials.reduce((s, t) => s + t.lmCalls, 0)).toBe(report.spend.lmCalls);
    const final = report.trials.at(-1)!;
    expect(final).toMatchObject({ evaluation: "full", state: "complete", meta: { role: "final", finalist: true } });
  });

  it("measures the baseline on the program as given: an unset temperature stays unset, in the baseline and in the result", async () => {
    const lm = taskLM();
    const p = new Predict("question -> answer", { instructions: "Answer." });
    const report = await runOptimization({
      optimizer: scripted(async () => undefined, {} as never),
      program: p,
      space: discoverSpace(p),
      trainset: items(4),
      valset: items(4, 100),
      metric: exact,
      lm,
      seed: 1,
    });
    expect(lm.requests.every((r) => r.temperature === undefined)).toBe(true);
    expect((report.program as Predict).settings.temperature).toBeUndefined();
    // A search that moves the temperature sets it.
    const moved = await runOptimization({ optimizer: scripted(async () => undefined, { temperature: 0.3 } as never), program: p, space: discoverSpace(p), trainset: items(4), valset: items(4, 100), metric: exact, lm: taskLM(), seed: 1 });
    expect(moved.trials.at(-1)!.config.temperature).toBe(0.3);
  });

  it("takes the same budget decisions when it resumes from a checkpoint", async () => {
    const body = async (ctx: OptimizerContext) => {
      for (const text of ["A.", "B.", "C.", "D.", "E.", "F."]) {
        if (!ctx.study.affords(5)) break;
        await ctx.study.evaluate({ instructions: text }, { examples: [0, 1, 2, 3, 4] });
      }
    };
    const base = { program: program(), space: space(), trainset: items(10), valset: items(10, 100), metric: exact, seed: 2, budget: { lmCalls: 42 } };
    const whole = await runOptimization({ ...base, optimizer: scripted(body), lm: taskLM() });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    let done = 0;
    await runOptimization({ ...base, optimizer: scripted(body), lm: taskLM(), checkpoint: store, signal: controller.signal, onEvent: (e) => void (e.type === "trial:complete" && ++done === 3 && controller.abort()) });
    const resumed = await runOptimization({ ...base, optimizer: scripted(body), lm: taskLM(), checkpoint: store });
    expect(resumed.trials.map((t) => [t.config.instructions, t.examples.length])).toEqual(whole.trials.map((t) => [t.config.instructions, t.examples.length]));
    expect(resumed.spend.lmCalls).toBe(whole.spend.lmCalls);
    expect(whole.spend.lmCalls).toBeLessThanOrEqual(42);
  });
});
