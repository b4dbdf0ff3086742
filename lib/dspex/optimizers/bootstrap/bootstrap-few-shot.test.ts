import { describe, expect, it } from "vitest";
import { ChainOfThought, defineProgram, Predict } from "../../modules";
import { discoverSpace } from "../../variables";
import { DspexError } from "../../errors";
import { memoryCheckpointStore, runOptimization, type OptimizationEvent } from "../index";
import { BootstrapFewShot } from "./index";
import { candidateConfig, exact, items, scriptedLM, showsTrace, view } from "./test-fixture";

// The teacher (no bootstrapped demos) is right on even items; a student shown traces always.
const evenRight = () => scriptedLM((v) => v.number % 2 === 0 || showsTrace(v));

describe("BootstrapFewShot", () => {
  it("keeps the traces of the first passing examples as demos, then labeled examples from the rest", async () => {
    const program = new ChainOfThought("question -> answer");
    const lm = evenRight();
    const report = await runOptimization({
      optimizer: new BootstrapFewShot({ maxBootstrappedDemos: 3, maxLabeledDemos: 5 }),
      program,
      trainset: items(10),
      valset: items(4, 100),
      metric: exact,
      lm,
      seed: 1,
    });
    expect(report.bestScore).toBe(1);
    expect(report.baselineScore).toBe(0.5);
    const demos = report.config.demos as Array<Record<string, string>>;
    expect(demos).toHaveLength(5);
    // Bootstrapped: the teacher's traces (with its reasoning) of items 0, 2 and 4, in order.
    expect(demos.slice(0, 3)).toEqual([0, 2, 4].map((i) => ({ question: `item${i}`, reasoning: `reasoning for item${i}`, answer: `ITEM${i}` })));
    // Labeled: examples that did not pass or were not tried, without reasoning.
    for (const d of demos.slice(3)) {
      expect(d.reasoning).toBeUndefined();
      expect(["0", "2", "4"]).not.toContain(d.question!.slice(4));
      expect(d.answer).toBe(d.question!.toUpperCase());
    }
    // Stops as soon as three passed: items 0..4 only, each once.
    const taught = report.trials.filter((t) => t.meta?.role === "bootstrap").flatMap((t) => t.examples);
    expect(taught.sort()).toEqual([0, 1, 2, 3, 4]);
    // The teacher had labeled demos, never the example it was answering.
    const teacherCalls = lm.requests.map(view).filter((v) => v.number < 10);
    expect(teacherCalls.every((v) => v.demoTurns.length > 0 && !v.demoTurns.some((t) => t.includes(`${v.question}\n`) || t.endsWith(v.question)))).toBe(true);
  });

  it("gives every step demos from the same passing runs, and leaves fixed variables alone", async () => {
    const program = defineProgram({
      name: "TwoStep",
      modules: { draft: new Predict("question -> notes"), final: new Predict("question, notes -> answer") },
      forward: async (inputs: { question: string }, m, ctx) => {
        const { notes } = await m.draft.run(inputs, ctx);
        return m.final.run({ question: inputs.question, notes }, ctx);
      },
    });
    const space = discoverSpace(program).select((v) => v.kind === "demos");
    const run = (s = space) =>
      runOptimization({ optimizer: new BootstrapFewShot({ maxBootstrappedDemos: 2, maxLabeledDemos: 2 }), program, space: s, trainset: items(8), valset: items(2, 50), metric: exact, lm: evenRight(), seed: 2 });
    const both = await run();
    const draft = both.config["draft.demos"] as Array<Record<string, string>>;
    const final = both.config["final.demos"] as Array<Record<string, string>>;
    expect(draft.map((d) => d.question)).toEqual(["item0", "item2"]);
    expect(final.map((d) => d.question)).toEqual(["item0", "item2"]);
    expect(draft[0]).toEqual({ question: "item0", notes: "notes for item0" });
    expect(final[0]).toEqual({ question: "item0", notes: "notes for item0", answer: "ITEM0" });

    const onlyFinal = await run(space.select((v) => v.name === "final.demos"));
    expect(onlyFinal.config["draft.demos"]).toEqual([]);
    expect(onlyFinal.config["final.demos"]).toEqual(final);
    for (const t of onlyFinal.trials) expect(t.config["draft.demos"]).toEqual([]);
  });

  it("applies the metric threshold and retries failures in later rounds at temperature 1.0 with a rollout id", async () => {
    // Right only when sampled (a rollout id): round 0 fails everything, round 1 passes.
    const lm = scriptedLM((v) => v.request.rolloutId !== undefined);
    const report = await runOptimization({
      optimizer: new BootstrapFewShot({ maxBootstrappedDemos: 2, maxLabeledDemos: 0, maxRounds: 2, metricThreshold: 1 }),
      program: new Predict("question -> answer"),
      trainset: items(6),
      valset: items(2, 50),
      metric: exact,
      lm,
      seed: 3,
    });
    const rounds = report.trials.filter((t) => t.meta?.role === "bootstrap").map((t) => [t.meta!.round, t.examples]);
    expect(rounds).toEqual([
      [0, [0, 1]],
      [1, [0, 1]],
    ]);
    const sampled = lm.requests.filter((r) => r.rolloutId !== undefined);
    expect(sampled).toHaveLength(2);
    expect(sampled.every((r) => r.temperature === 1 && r.rolloutId === "bootstrap-few-shot:bootstrapped:round-1")).toBe(true);
    expect((candidateConfig(report.trials)!.demos as unknown[]).length).toBe(2);

    // A metric of 0.5 passes without a threshold but not with one of 0.6.
    const half = () => 0.5;
    const run = (metricThreshold?: number) =>
      runOptimization({ optimizer: new BootstrapFewShot({ maxBootstrappedDemos: 2, maxLabeledDemos: 0, metricThreshold }), program: new Predict("question -> answer"), trainset: items(4), valset: items(1, 50), metric: half, lm: evenRight(), seed: 3 });
    expect((candidateConfig((await run()).trials)!.demos as unknown[]).length).toBe(2);
    // No demos pass: the result is the program as it is, already scored as the baseline.
    const strict = await run(0.6);
    expect(candidateConfig(strict.trials)).toBeUndefined();
    expect(strict.config.demos).toEqual([]);
  });

  it("uses a given teacher configuration and teacher settings", async () => {
    // Only a prompt that says "carefully" answers right: the teacher has it, the student not.
    const lm = scriptedLM((v) => v.instructions.includes("carefully"));
    const program = new Predict("question -> answer");
    const space = discoverSpace(program, { temperature: false });
    const report = await runOptimization({
      optimizer: new BootstrapFewShot({ maxBootstrappedDemos: 2, maxLabeledDemos: 0, teacher: { instructions: "Answer carefully." }, teacherSettings: { maxTokens: 77 } }),
      program,
      space,
      trainset: items(4),
      valset: items(1, 50),
      metric: exact,
      lm,
      seed: 4,
    });
    const recommended = candidateConfig(report.trials)!;
    expect(recommended.instructions).toBe(program.instructions);
    expect((recommended.demos as Array<Record<string, string>>).map((d) => d.answer)).toEqual(["ITEM0", "ITEM1"]);
    expect(lm.requests.filter((r) => r.maxTokens === 77)).toHaveLength(2);
  });

  it("stops cleanly at the budget and resumes to the same result", async () => {
    const setup = () => ({ program: new ChainOfThought("question -> answer"), trainset: items(12), valset: items(6, 50), metric: exact, seed: 5 });
    const optimizer = () => new BootstrapFewShot({ maxBootstrappedDemos: 4, maxLabeledDemos: 6 });
    const budgeted = await runOptimization({ ...setup(), optimizer: optimizer(), lm: evenRight(), budget: { lmCalls: 8 }, concurrency: 2 });
    expect(budgeted.stopReason).toBe("budget");
    expect(budgeted.spend.lmCalls).toBeLessThanOrEqual(8);
    const firstPruned = budgeted.trials.findIndex((t) => t.state === "pruned");
    expect(budgeted.trials.slice(firstPruned === -1 ? budgeted.trials.length : firstPruned).every((t) => t.state === "pruned")).toBe(true);

    const uninterrupted = await runOptimization({ ...setup(), optimizer: optimizer(), lm: evenRight() });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    let completed = 0;
    await runOptimization({
      ...setup(),
      optimizer: optimizer(),
      lm: evenRight(),
      checkpoint: store,
      signal: controller.signal,
      onEvent: (e: OptimizationEvent) => {
        if (e.type === "trial:complete" && ++completed === 2) controller.abort();
      },
    });
    const lm = evenRight();
    const resumed = await runOptimization({ ...setup(), optimizer: optimizer(), lm, checkpoint: store });
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.trials.map((t) => t.score)).toEqual(uninterrupted.trials.map((t) => t.score));
    // The finished bootstrap trial was replayed from the journal: its examples were not asked again.
    const replayed = store.current!.trials.filter((t) => t.meta?.role === "bootstrap")[0]!;
    const asked = lm.requests.map((r) => view(r).number);
    expect(replayed.examples.filter((i) => asked.includes(i))).toEqual([]);
  });

  it("rejects bad options with the option, the value and what it accepts", () => {
    expect(() => new BootstrapFewShot({ maxBootstrappedDemos: -1 })).toThrow('BootstrapFewShot: option "maxBootstrappedDemos" must be a whole number >= 0 (default 4) (got -1)');
    expect(() => new BootstrapFewShot({ maxRounds: 0 })).toThrow(/option "maxRounds" must be a whole number >= 1/);
    expect(() => new BootstrapFewShot({ maxDemos: 3 } as never)).toThrow(/option "maxDemos" is not an option; options: maxBootstrappedDemos/);
    expect(() => new BootstrapFewShot({ maxLabeledDemos: 1.5 })).toThrow(DspexError);
  });

  it("rejects a teacher that is not a configuration of the program", async () => {
    await expect(
      runOptimization({ optimizer: new BootstrapFewShot({ teacher: { nope: 1 } }), program: new Predict("question -> answer"), trainset: items(2), valset: items(1, 9), metric: exact, lm: evenRight() }),
    ).rejects.toThrow(/BootstrapFewShot: option "teacher" is not a valid configuration of the program: unknown variable "nope"/);
  });

  it("plans at most what it spends", async () => {
    const program = new ChainOfThought("question -> answer");
    const report = await runOptimization({ optimizer: new BootstrapFewShot(), program, trainset: items(10), valset: items(5, 50), metric: exact, lm: evenRight(), seed: 6 });
    expect(report.spend.lmCalls).toBeLessThanOrEqual(report.estimate.lmCalls);
    expect(report.estimate.lmCalls).toBe(10 + 5 + 5);
  });
});
