import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDemoLM } from "../../demo-lm";
import { qaTask } from "../../demos";
import type { LMRequest } from "../../lm";
import { Predict } from "../../modules";
import { byFields, FakeLM } from "../../testing";
import { discoverSpace, jsonKey, type DemoSet, type VariableSpace } from "../../variables";
import { memoryCheckpointStore, runOptimization, Simba, type OptimizationEvent, type SimbaOptions } from "../index";

/** A number in [0, 1) from a text, the same on every run. */
const unit = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;

const examples = Array.from({ length: 16 }, (_, i) => ({ inputs: { question: `q${i}` }, outputs: { answer: `a${i}` } }));
const trainset = examples.slice(0, 10);
const valset = examples.slice(10);
const metric = (e: { outputs: Record<string, unknown> }, p: Record<string, unknown>) => e.outputs.answer === p.answer;

const system = (r: LMRequest) => r.messages.find((m) => m.role === "system")?.content ?? "";
const demoCount = (r: LMRequest) => r.messages.filter((m) => m.role === "assistant").length;

/**
 * The task model: right when `knows(request)`, otherwise right by luck: for a sampled run
 * (temperature 1) on half the draws, else on a fixed 30% of questions.
 */
function taskLM(knows: (r: LMRequest) => boolean): FakeLM {
  return new FakeLM(
    byFields((inputs, _outputs, request) => {
      const q = inputs.question!;
      const luck = (request.temperature ?? 0) >= 0.9 ? unit(`${q}|${request.rolloutId}`) < 0.5 : unit(q) < 0.3;
      return { answer: knows(request) || luck ? q.replace("q", "a") : "wrong" };
    }),
  );
}

/** The rule writer: advice that names the key word on some calls only. */
const adviceLM = () => new FakeLM(byFields((_i, _o, request) => ({ discussion: "The worse run guessed.", advice: unit(request.rolloutId ?? "") < 0.5 ? "Be CAREFUL with every question." : "Think more." })));

const program = () => new Predict("question -> answer", { instructions: "Answer the question." });

function setup(space: (s: VariableSpace) => VariableSpace) {
  const p = program();
  return { program: p, space: space(discoverSpace(p)), trainset, valset, metric };
}

const small: SimbaOptions = { batchSize: 6, numCandidates: 3, maxSteps: 3 };

describe("SIMBA", () => {
  it("finds instructions the task needs through advice from contrasting runs; demos stay fixed", async () => {
    const lm = taskLM((r) => system(r).includes("CAREFUL"));
    const prompts = adviceLM();
    const report = await runOptimization({ ...setup((s) => s.select(["instructions"])), optimizer: new Simba(small), lm, promptLM: prompts, seed: 1 });
    expect(report.baselineScore).toBeLessThan(0.5);
    expect(report.bestScore).toBe(1);
    expect(String(report.config.instructions)).toMatch(/^Answer the question\.\n\n.*CAREFUL/s);
    // Only the searchable variable changed anywhere.
    for (const t of report.trials) {
      expect(t.config.demos).toEqual([]);
      expect(t.config.temperature).toBe(report.trials[0]!.config.temperature);
    }
    // The advice prompt is a readable DSPEx signature with both runs in it.
    const adviceRequest = prompts.requests[0]!;
    expect(system(adviceRequest)).toMatch(/higher reward and one that earned a lower reward/);
    expect(adviceRequest.messages.at(-1)!.content).toMatch(/\[\[ ## better_trajectory ## \]\][\s\S]*\[\[ ## worse_trajectory ## \]\]|\[\[ ## worse_trajectory ## \]\][\s\S]*\[\[ ## better_trajectory ## \]\]/);
    expect(new Set(prompts.requests.map((r) => r.rolloutId)).size).toBe(prompts.requests.length);
  });

  it("finds that a demo is what the task needs; instructions stay fixed", async () => {
    const lm = taskLM((r) => demoCount(r) > 0);
    const prompts = adviceLM();
    const report = await runOptimization({ ...setup((s) => s.select(["demos"])), optimizer: new Simba(small), lm, promptLM: prompts, seed: 2 });
    expect(report.baselineScore).toBeLessThan(0.5);
    expect(report.bestScore).toBe(1);
    const demos = report.config.demos as DemoSet;
    expect(demos.length).toBeGreaterThan(0);
    expect(demos.length).toBeLessThanOrEqual(4);
    // A demo is a successful trajectory: a training question with its right answer.
    for (const d of demos) expect(d.answer).toBe(String(d.question).replace("q", "a"));
    expect(report.trials.every((t) => t.config.instructions === "Answer the question.")).toBe(true);
    expect(prompts.requests).toHaveLength(0);
  });

  it("samples runs at LM temperature 1 with a rollout id per run, and scores candidates at the program's own settings", async () => {
    const lm = taskLM(() => false);
    await runOptimization({ ...setup((s) => s.select(["instructions", "demos"])), optimizer: new Simba({ ...small, maxSteps: 1 }), lm, promptLM: adviceLM(), seed: 3 });
    const sampled = lm.requests.filter((r) => r.rolloutId?.startsWith("simba-0-"));
    expect(sampled.length).toBe(3 * 6);
    expect(sampled.every((r) => r.temperature === 1)).toBe(true);
    expect(new Set(sampled.map((r) => r.rolloutId))).toEqual(new Set(["simba-0-0", "simba-0-1", "simba-0-2"]));
    const plain = lm.requests.filter((r) => r.rolloutId === undefined);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((r) => r.temperature !== 1)).toBe(true);
  });

  it("stops cleanly at the LM-call budget", async () => {
    const report = await runOptimization({
      ...setup((s) => s.select(["instructions", "demos"])),
      optimizer: new Simba(small),
      lm: taskLM((r) => system(r).includes("CAREFUL")),
      promptLM: adviceLM(),
      seed: 4,
      budget: { lmCalls: 40 },
    });
    expect(report.stopReason).toBe("budget");
    expect(report.spend.lmCalls).toBeLessThanOrEqual(40);
    // Steps the budget cannot pay for are not started: every evaluation that ran, finished.
    expect(report.trials.every((t) => t.state === "complete")).toBe(true);
    expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore);
  });

  it("resumes after a crash to the same result, paying no advice call twice", async () => {
    const options = () => ({ ...setup((s) => s.select(["instructions", "demos"])), optimizer: new Simba(small), lm: taskLM((r) => system(r).includes("CAREFUL")), seed: 5 });
    const whole = adviceLM();
    const uninterrupted = await runOptimization({ ...options(), promptLM: whole });

    const store = memoryCheckpointStore();
    const controller = new AbortController();
    const before = adviceLM();
    let completed = 0;
    const crashed = await runOptimization({
      ...options(),
      promptLM: before,
      checkpoint: store,
      signal: controller.signal,
      onEvent: (e: OptimizationEvent) => {
        if (e.type === "trial:complete" && ++completed === 12) controller.abort();
      },
    });
    expect(crashed.stopReason).toBe("aborted");
    expect(before.requests.length).toBeGreaterThan(0);

    const after = adviceLM();
    let replayed = 0;
    const resumed = await runOptimization({ ...options(), promptLM: after, checkpoint: store, onEvent: (e) => void (e.type === "trial:complete" && e.replayed && replayed++) });
    expect(replayed).toBeGreaterThanOrEqual(12);
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.bestScore).toBe(uninterrupted.bestScore);
    expect(resumed.trials.map((t) => [jsonKey(t.config), t.score])).toEqual(uninterrupted.trials.map((t) => [jsonKey(t.config), t.score]));
    expect(before.requests.length + after.requests.length).toBe(whole.requests.length);
  });

  it("refuses bad options with errors that name the option", () => {
    expect(() => new Simba({ batchSize: 0 })).toThrow(/SIMBA: option "batchSize" must be a positive integer \(got 0\)/);
    expect(() => new Simba({ numCandidates: 1.5 })).toThrow(/option "numCandidates" must be a positive integer/);
    expect(() => new Simba({ samplingTemperature: 0 })).toThrow(/option "samplingTemperature" must be a positive number/);
    expect(() => new Simba({ maxDemos: -1 })).toThrow(/option "maxDemos" must be a non-negative integer/);
    expect(() => new Simba({ steps: 3 } as SimbaOptions)).toThrow(/option "steps" is not an option; options: batchSize, numCandidates, maxSteps/);
    expect(() => new Simba({ lmTemperature: 3 })).toThrow(/option "lmTemperature" must be a number from 0 to 2/);
    expect(new Simba().options).toMatchObject({ batchSize: 32, numCandidates: 6, maxSteps: 8, maxDemos: 4, samplingTemperature: 0.2, lmTemperature: 1 });
  });

  it("refuses an empty training set, and does nothing without instructions or demos to change", async () => {
    await expect(runOptimization({ ...setup((s) => s), trainset: [], optimizer: new Simba(small), lm: taskLM(() => false), promptLM: adviceLM() })).rejects.toThrow(/SIMBA: the training set is empty/);
    const report = await runOptimization({ ...setup((s) => s.select(["temperature"])), optimizer: new Simba(small), lm: taskLM(() => false), promptLM: adviceLM() });
    expect(report.trials).toHaveLength(1);
  });

  it("improves the bundled QA task on the demo model", async () => {
    const p = qaTask.makeProgram();
    const space = discoverSpace(p).select((v) => v.target.kind === "instructions" || v.target.kind === "demos");
    const report = await runOptimization({
      optimizer: new Simba({ maxSteps: 4 }),
      program: p,
      space,
      trainset: qaTask.dataset.train,
      valset: qaTask.dataset.validation,
      metric: qaTask.metric,
      lm: createDemoLM({ seed: 1 }),
      seed: 7,
    });
    expect(report.bestScore).toBeGreaterThan(report.baselineScore + 0.05);
  });
});
