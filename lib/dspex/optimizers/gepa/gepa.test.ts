import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDemoLM } from "../../demo-lm";
import { qaTask } from "../../demos";
import type { Metric } from "../../evaluate";
import type { LMRequest } from "../../lm";
import { Predict, defineProgram } from "../../modules";
import { COST, QUALITY } from "../../samplers";
import { byFields, FakeLM, markerReply } from "../../testing";
import { discoverSpace, jsonKey } from "../../variables";
import { Gepa, memoryCheckpointStore, runOptimization, type GepaOptions, type OptimizationEvent, type TrialResult } from "../index";
import { improves } from "./index";

/** A number in [0, 1) from a text, the same on every run. */
const unit = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;
const system = (r: LMRequest) => r.messages.find((m) => m.role === "system")?.content ?? "";
const lastUser = (r: LMRequest) => r.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";

const examples = Array.from({ length: 16 }, (_, i) => ({ inputs: { question: `q${i}` }, outputs: { answer: `a${i}` } }));
const trainset = examples.slice(0, 10);
const valset = examples.slice(10);
const exact: Metric = (e, p) => e.outputs.answer === p.answer;

/** Right when the instructions say CAREFUL, else on a fixed 30% of questions. */
const taskLM = () =>
  new FakeLM(
    byFields((inputs, _o, request) => {
      const q = inputs.question!;
      return { answer: system(request).includes("CAREFUL") || unit(q) < 0.3 ? q.replace("q", "a") : "wrong" };
    }),
  );

/** The reflection model: proposes the key word on a share p of its calls (default about a third). */
const reflectionLM = (p = 0.35) =>
  new FakeLM(byFields((_i, _o, request) => ({ new_instruction: unit(request.rolloutId ?? "") < p ? "Answer CAREFUL-ly." : `Answer the question (${request.rolloutId}).` })));

/** A reflection model that names the key word on every fifth call only. */
const everyFifth = () => new FakeLM((request, index) => markerReply({ new_instruction: index % 5 === 4 ? "Answer CAREFUL-ly." : `Answer the question (try ${index}).` }));

function setup() {
  const program = new Predict("question -> answer", { instructions: "Answer the question." });
  return { program, space: discoverSpace(program).select(["instructions"]), trainset, valset, metric: exact };
}

const sum = (xs: readonly number[] | undefined) => (xs ?? []).reduce((s, x) => s + x, 0);
const gepaTrials = (trials: readonly TrialResult[], role: string) => trials.filter((t) => t.meta?.optimizer === "gepa" && t.meta.role === role);

describe("GEPA", () => {
  it("evolves the instruction the task needs, reusing the seed's baseline score", async () => {
    const prompts = reflectionLM();
    const report = await runOptimization({ ...setup(), optimizer: new Gepa({ maxFullEvals: 8 }), lm: taskLM(), promptLM: prompts, seed: 1 });
    expect(report.baselineScore).toBeLessThan(0.5);
    expect(report.bestScore).toBe(1);
    expect(report.config.instructions).toBe("Answer CAREFUL-ly.");
    // The seed is trial 0's evaluation: GEPA never scores it on the full set again.
    const seedKey = jsonKey(report.trials[0]!.config);
    expect(report.trials.filter((t) => t.evaluation === "full" && jsonKey(t.config) === seedKey)).toHaveLength(1);
    // The reflection prompt is the readable DSPEx signature, and every call is its own sample.
    expect(lastUser(prompts.requests[0]!)).toMatch(/\[\[ ## current_instruction ## \]\]\nAnswer the question\.\n\n\[\[ ## examples_with_feedback ## \]\]\n# Example 1/);
    expect(new Set(prompts.requests.map((r) => r.rolloutId)).size).toBe(prompts.requests.length);
  });

  it("accepts a child exactly when its minibatch sum beats its parent's, and only then scores it on the full set", async () => {
    const report = await runOptimization({ ...setup(), optimizer: new Gepa({ maxFullEvals: 8 }), lm: taskLM(), promptLM: everyFifth(), seed: 2 });
    const children = gepaTrials(report.trials, "child-minibatch");
    expect(children.length).toBeGreaterThan(3);
    let accepted = 0;
    for (const child of children) {
      const parent = gepaTrials(report.trials, "parent-minibatch").find((t) => t.meta!.iteration === child.meta!.iteration)!;
      expect(child.examples).toEqual(parent.examples);
      const full = report.trials.find((t) => t.evaluation === "full" && t.meta?.role === "candidate" && t.meta.iteration === child.meta!.iteration);
      expect(full !== undefined).toBe(sum(child.scores) > sum(parent.scores));
      if (full) {
        accepted++;
        expect(full.meta!.parents).toEqual([child.meta!.parent]);
        expect(jsonKey(full.config)).toBe(jsonKey(child.config));
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(children.length);
    expect(improves([1, 0, 0], [1, 1, 0])).toBe(true);
    expect(improves([1, 1, 0], [1, 0, 1])).toBe(false);
  });

  it("skips reflection when the parent is perfect on the whole minibatch", async () => {
    const prompts = reflectionLM();
    const lm = new FakeLM(byFields((inputs) => ({ answer: inputs.question!.replace("q", "a") })));
    const report = await runOptimization({ ...setup(), optimizer: new Gepa({ maxMetricCalls: 40 }), lm, promptLM: prompts, seed: 3 });
    expect(gepaTrials(report.trials, "parent-minibatch").length).toBeGreaterThan(3);
    expect(prompts.requests).toHaveLength(0);
    expect(gepaTrials(report.trials, "child-minibatch")).toHaveLength(0);
  });

  it("shows the reflection model the metric's feedback, or feedback built from the expected outputs", async () => {
    const withFeedback: Metric = (e, p) => ({ score: e.outputs.answer === p.answer ? 1 : 0, feedback: `HINT: the answer to ${String(e.inputs.question)} is ${String(e.outputs.answer)}` });
    const a = reflectionLM();
    await runOptimization({ ...setup(), metric: withFeedback, optimizer: new Gepa({ maxMetricCalls: 40 }), lm: taskLM(), promptLM: a, seed: 4 });
    expect(lastUser(a.requests[0]!)).toMatch(/## Feedback\n\nHINT: the answer to q\d+ is a\d+/);
    const b = reflectionLM();
    await runOptimization({ ...setup(), optimizer: new Gepa({ maxMetricCalls: 40 }), lm: taskLM(), promptLM: b, seed: 4 });
    expect(lastUser(b.requests[0]!)).toMatch(/## Feedback\n\nScore: 0 \(best possible: 1\)\. This falls short of the expected outputs\. Expected: answer = "a\d+"\. Produced: answer = "wrong"\./);
  });

  it("spends its metric-call budget (the seed's validation included) and stops", async () => {
    const report = await runOptimization({ ...setup(), optimizer: new Gepa({ maxMetricCalls: 60, useMerge: false }), lm: taskLM(), promptLM: reflectionLM(), seed: 5 });
    const scored = sum(report.trials.map((t) => t.examples.length));
    expect(scored).toBeGreaterThanOrEqual(60);
    // At most one iteration past the budget: parent and child minibatches and one full evaluation.
    expect(scored).toBeLessThan(60 + 3 + 3 + valset.length);
    expect(report.stopReason).toBe("completed");
  });

  it("stops cleanly at the study's LM-call budget", async () => {
    const report = await runOptimization({ ...setup(), optimizer: new Gepa({ maxFullEvals: 50 }), lm: taskLM(), promptLM: reflectionLM(0), seed: 6, budget: { lmCalls: 30 } });
    expect(report.stopReason).toBe("budget");
    expect(report.spend.lmCalls).toBeLessThanOrEqual(30);
    expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore);
  });

  it("resumes after a crash to the same result, paying no reflection call twice", async () => {
    const options = () => ({ ...setup(), optimizer: new Gepa({ maxFullEvals: 8 }), lm: taskLM(), seed: 7 });
    const whole = reflectionLM();
    const uninterrupted = await runOptimization({ ...options(), promptLM: whole });

    const store = memoryCheckpointStore();
    const controller = new AbortController();
    const before = reflectionLM();
    let completed = 0;
    const crashed = await runOptimization({
      ...options(),
      promptLM: before,
      checkpoint: store,
      signal: controller.signal,
      onEvent: (e: OptimizationEvent) => {
        if (e.type === "trial:complete" && ++completed === 9) controller.abort();
      },
    });
    expect(crashed.stopReason).toBe("aborted");
    expect(before.requests.length).toBeGreaterThan(0);

    const after = reflectionLM();
    const resumed = await runOptimization({ ...options(), promptLM: after, checkpoint: store });
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.bestScore).toBe(uninterrupted.bestScore);
    expect(resumed.trials.map((t) => [jsonKey(t.config), t.score, t.meta?.role])).toEqual(uninterrupted.trials.map((t) => [jsonKey(t.config), t.score, t.meta?.role]));
    expect(before.requests.length + after.requests.length).toBe(whole.requests.length);
  });

  it("merges two lineages that improved different components", async () => {
    // Step "draft" helps A-questions when told ALPHA; step "answer" helps B-questions when told BETA.
    // Without ALPHA, half the B-questions are right by luck (so the seed stays on the front).
    const program = defineProgram({
      name: "TwoSteps",
      modules: { draft: new Predict("question -> draft", { instructions: "Draft." }), answer: new Predict("draft -> answer", { instructions: "Answer." }) },
      forward: async (inputs: { question: string }, m, ctx) => m.answer.run({ draft: (await m.draft.run(inputs, ctx)).draft as string }, ctx),
    });
    const lm = new FakeLM(
      byFields((inputs, outputs, request) => {
        if (outputs.includes("draft")) return { draft: `${inputs.question}|${system(request).includes("ALPHA") ? "alpha" : "-"}` };
        const [q, mark] = inputs.draft!.split("|") as [string, string];
        const right = q.startsWith("A") ? mark === "alpha" : system(request).includes("BETA") || (mark !== "alpha" && unit(q) < 0.5);
        return { answer: right ? q.toLowerCase() : "wrong" };
      }),
    );
    // The reflection model knows the fix for each step, but for "answer" only while drafts lack ALPHA:
    // ALPHA + BETA is then reached by merging the two lineages.
    const reflections = new FakeLM(
      byFields(({ examples_with_feedback: seen }) => ({
        new_instruction: seen!.includes("## Inputs\n\n### draft") ? (seen!.includes("|alpha") ? "Answer. Be brief." : "Answer. BETA") : "Draft. ALPHA",
      })),
    );
    const data = Array.from({ length: 24 }, (_, i) => ({ inputs: { question: `${i % 2 ? "A" : "B"}${i}` }, outputs: { answer: `${i % 2 ? "a" : "b"}${i}` } }));
    const events: string[] = [];
    const report = await runOptimization({
      optimizer: new Gepa({ maxFullEvals: 6 }),
      program,
      space: discoverSpace(program).select(["draft.instructions", "answer.instructions"]),
      trainset: data.slice(0, 12),
      valset: data.slice(12),
      metric: exact,
      lm,
      promptLM: reflections,
      // Both lineages must arise before the budget ends, which depends on the minibatches drawn:
      // it does for 7 of seeds 1-11; this seed is one of them.
      seed: 1,
      onEvent: (e) => void (e.type === "log" && events.push(e.message)),
    });
    const merges = report.trials.filter((t) => t.meta?.role === "merge");
    expect(merges.length).toBeGreaterThan(0);
    const merged = merges[0]!;
    expect(merged.config["draft.instructions"]).toBe("Draft. ALPHA");
    expect(merged.config["answer.instructions"]).toBe("Answer. BETA");
    expect(merged.score).toBe(1);
    expect(report.bestScore).toBe(1);
    expect(events.some((m) => /merge of #\d+ and #\d+ \(ancestor #0\) accepted/.test(m))).toBe(true);
  });

  it("rewrites the components of a candidate in turn (round robin)", async () => {
    const program = defineProgram({
      name: "TwoSteps",
      modules: { draft: new Predict("question -> draft"), answer: new Predict("draft -> answer") },
      forward: async (inputs: { question: string }, m, ctx) => m.answer.run({ draft: (await m.draft.run(inputs, ctx)).draft as string }, ctx),
    });
    const lm = new FakeLM(byFields((inputs, outputs) => (outputs.includes("draft") ? { draft: inputs.question! } : { answer: "wrong" })));
    const report = await runOptimization({
      optimizer: new Gepa({ maxMetricCalls: 60 }),
      program,
      space: discoverSpace(program).select(["draft.instructions", "answer.instructions"]),
      trainset,
      valset,
      metric: exact,
      lm,
      promptLM: reflectionLM(0),
      seed: 10,
    });
    const components = gepaTrials(report.trials, "child-minibatch").map((t) => t.meta!.component);
    expect(components.length).toBeGreaterThanOrEqual(4);
    components.forEach((c, i) => expect(c).toBe(i % 2 === 0 ? "draft.instructions" : "answer.instructions"));
    // Each child rewrote only its component.
    for (const t of gepaTrials(report.trials, "child-minibatch")) {
      const other = t.meta!.component === "draft.instructions" ? "answer.instructions" : "draft.instructions";
      expect(t.config[other]).toBe(report.trials[0]!.config[other]);
    }
  });

  it("reports the quality/cost Pareto front and its hypervolume in multi-objective mode", async () => {
    const p = qaTask.makeProgram();
    const events: string[] = [];
    const report = await runOptimization({
      optimizer: new Gepa({ maxMetricCalls: 150 }),
      program: p,
      space: discoverSpace(p).select((v) => v.target.kind === "instructions"),
      trainset: qaTask.dataset.train,
      valset: qaTask.dataset.validation,
      metric: qaTask.metric,
      lm: createDemoLM({ seed: 2 }),
      objectives: [QUALITY, COST],
      seed: 9,
      onEvent: (e) => void (e.type === "log" && events.push(e.message)),
    });
    const line = events.find((m) => m.startsWith("GEPA: Pareto front over quality, cost"));
    expect(line).toBeDefined();
    const hv = Number(/hypervolume ([\d.e+-]+)/.exec(line!)![1]);
    expect(hv).toBeGreaterThan(0);
    expect(report.paretoFront.length).toBeGreaterThan(0);
  });

  it("refuses bad options with errors that name the option", async () => {
    expect(() => new Gepa({ maxMetricCalls: 100, maxFullEvals: 2 })).toThrow(/GEPA: option "maxMetricCalls" and maxFullEvals both set; give one budget/);
    expect(() => new Gepa({ minibatchSize: 0 })).toThrow(/GEPA: option "minibatchSize" must be a positive integer \(got 0\)/);
    expect(() => new Gepa({ frontier: "best" as never })).toThrow(/option "frontier" must be "instance", "objective" or "hybrid"/);
    expect(() => new Gepa({ budget: 3 } as GepaOptions)).toThrow(/option "budget" is not an option/);
    await expect(runOptimization({ ...setup(), optimizer: new Gepa({ referencePoint: [0, 1] }), lm: taskLM(), promptLM: reflectionLM() })).rejects.toThrow(/GEPA: option "referencePoint" needs one value per objective \(quality\)/);
    expect(new Gepa().options).toMatchObject({ minibatchSize: 3, perfectScore: 1, skipPerfectScore: true, useMerge: true, maxMergeInvocations: 5 });
    expect(new Gepa().metricCallBudget(10, 6)).toBe(80);
    await expect(runOptimization({ ...setup(), trainset: [], optimizer: new Gepa(), lm: taskLM(), promptLM: reflectionLM() })).rejects.toThrow(/GEPA: the training set is empty/);
  });

  it("never keeps the same candidate twice: a proposal already in the pool is skipped before it costs anything", async () => {
    // The reflection model always proposes the same text; it is right everywhere but on q12, where
    // only the seed is right, so the seed stays on the front and keeps being picked as a parent.
    const same = new FakeLM(byFields(() => ({ new_instruction: "Answer CAREFUL-ly." })));
    const lm = new FakeLM(
      byFields((inputs, _o, request) => {
        const q = inputs.question!;
        const right = q === "q12" ? !system(request).includes("CAREFUL") : system(request).includes("CAREFUL") || unit(q) < 0.3;
        return { answer: right ? q.replace("q", "a") : "wrong" };
      }),
    );
    const report = await runOptimization({ ...setup(), optimizer: new Gepa({ maxFullEvals: 8 }), lm, promptLM: same, seed: 3 });
    const pool = report.trials.filter((t) => t.evaluation === "full" && t.meta?.optimizer === "gepa");
    expect(new Set(pool.map((t) => jsonKey(t.config))).size).toBe(pool.length);
    expect(gepaTrials(report.trials, "child-minibatch").filter((t) => t.config.instructions === "Answer CAREFUL-ly.")).toHaveLength(1);
    expect(report.bestScore).toBeCloseTo(5 / 6);
  });

  it("improves the bundled QA task on the demo model", async () => {
    const p = qaTask.makeProgram({ settings: { temperature: 0.7 } });
    const report = await runOptimization({
      optimizer: new Gepa(),
      program: p,
      space: discoverSpace(p).select((v) => v.target.kind === "instructions"),
      trainset: qaTask.dataset.train,
      valset: qaTask.dataset.validation,
      metric: qaTask.metric,
      lm: createDemoLM({ seed: 1 }),
      seed: 7,
    });
    expect(report.bestScore).toBeGreaterThan(report.baselineScore + 0.05);
  });
});
