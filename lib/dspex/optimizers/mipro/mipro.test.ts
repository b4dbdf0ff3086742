import { describe, expect, it } from "vitest";
import type { LMRequest } from "../../lm/types";
import { defineProgram, Predict } from "../../modules";
import { RandomSampler, type Sampler, type SamplerContext } from "../../samplers";
import { byFields, FakeLM, inputsOf } from "../../testing";
import { discoverSpace } from "../../variables";
import { items, tracedDemos, tracedTaskLM, unmarked, type RequestView } from "../bootstrap/test-fixture";
import { memoryCheckpointStore, runOptimization, type OptimizationEvent } from "../index";
import { PROPOSAL_TIPS } from "../proposals";
import { defaultMiproSampler, MIPROv2, trialsFor } from "./index";

// Validation: even items need an instruction that says "carefully", odd ones a bootstrapped demo.
const valRight = (v: RequestView) => ((v.number - 100) % 2 === 0 ? v.instructions.includes("carefully") : tracedDemos(v) > 0);
const taskLM = () => tracedTaskLM(valRight);

/** The prompt model: proposal 2 of a step says "carefully", the others do not. */
function promptLM() {
  return new FakeLM(
    byFields((_inputs, outputs, request) =>
      Object.fromEntries(outputs.map((o) => [o, o === "proposed_instruction" ? (request.rolloutId?.endsWith(":2") ? "Proposed instruction: Answer carefully." : "Answer quickly.") : `${o} text`])),
    ),
  );
}

const proposals = (lm: FakeLM) => lm.requests.filter((r: LMRequest) => r.messages[0]!.content.includes("`proposed_instruction`"));

const setup = (valCount = 6) => ({ program: new Predict("question -> answer", { instructions: "Answer." }), trainset: items(20), valset: items(valCount, 100), metric: unmarked });

describe("MIPROv2", () => {
  it("finds the instruction and demo set that answer every validation item", async () => {
    const prompt = promptLM();
    const report = await runOptimization({ ...setup(), optimizer: new MIPROv2({ numTrials: 20 }), lm: taskLM(), promptLM: prompt, seed: 1 });
    expect(report.baselineScore).toBe(0);
    expect(report.bestScore).toBe(1);
    expect(report.config.instructions).toBe("Answer carefully.");
    expect((report.config.demos as Array<{ answer: string }>).some((d) => d.answer.endsWith("(traced)"))).toBe(true);

    // n = 6 and demos searched: 3 instruction candidates, the original first, so 2 proposals.
    const calls = proposals(prompt);
    expect(calls.map((r) => r.rolloutId)).toEqual(["mipro:instruction:instructions:1", "mipro:instruction:instructions:2"]);
    expect(calls.every((r) => r.temperature === 1)).toBe(true);
    const shown = calls.map(inputsOf);
    for (const s of shown) {
      expect(s.basic_instruction).toBe("Answer.");
      expect(s.dataset_summary).toBe("summary text");
      expect(s.program_description).toContain("question -> answer");
      expect(s.step_description).toContain("reads question and writes answer");
      expect(Object.values(PROPOSAL_TIPS)).toContain(s.tip ?? "");
    }
    // Proposal 1 is grounded in demo set 1 (labeled only), so it shows the next sets' traces.
    expect(shown[0]!.task_demos).toMatch(/^question: item\d+\nanswer: ITEM\d+ \(traced\)/);
    const instructions = new Set(report.trials.filter((t) => String(t.meta?.role).startsWith("mipro")).map((t) => t.config.instructions));
    expect(instructions).toEqual(new Set(["Answer.", "Answer carefully.", "Answer quickly."]));
    // Searched on the whole (small) validation set: no minibatches.
    expect(report.trials.filter((t) => t.meta?.role === "mipro-full")).toHaveLength(20);
  });

  it("asks one sampler (TPE by default) for whole configurations: candidates and numbers together, learning only from its own trials", async () => {
    expect(defaultMiproSampler().name).toBe("tpe");
    const seen: SamplerContext[] = [];
    const random = new RandomSampler();
    const spy: Sampler = { name: "spy", ask: (c) => (seen.push(c), random.ask(c)) };
    const program = new Predict("question -> answer", { instructions: "Answer." });
    const space = discoverSpace(program).select((v) => v.kind !== "text" || v.name === "instructions");
    const report = await runOptimization({ ...setup(), program, space, optimizer: new MIPROv2({ numTrials: 7, sampler: spy }), lm: taskLM(), promptLM: promptLM(), seed: 9 });
    expect(seen).toHaveLength(7);
    const asked = seen[0]!.space;
    expect(asked.require("instructions").domain).toEqual({ type: "categorical", choices: ["Answer.", "Answer quickly.", "Answer carefully."] });
    expect((asked.require("demos").domain as { readonly choices: readonly unknown[] }).choices.length).toBeGreaterThanOrEqual(5);
    expect(asked.require("temperature").domain.type).toBe("float");
    const roles = (c: SamplerContext) => c.trials.map((t) => report.trials[t.number]!.meta?.role);
    expect(roles(seen[0]!)).toEqual(["baseline"]);
    expect(roles(seen[6]!)).toEqual(["baseline", ...Array(6).fill("mipro-full")]);
    expect(new Set(report.trials.filter((t) => t.meta?.role === "mipro-full").map((t) => t.config.temperature)).size).toBe(7);
  });

  it("sets the trial count from the formula, minibatches large validation sets, fully scores the best every 5 trials and races the best unverified at the end", async () => {
    expect([trialsFor(2, 6), trialsFor(1, 6), trialsFor(2, 12), trialsFor(4, 18)]).toEqual([10, 9, 18, 33]);
    const report = await runOptimization({ ...setup(60), optimizer: new MIPROv2({ auto: "light" }), lm: taskLM(), promptLM: promptLM(), seed: 2 });
    const search = report.trials.filter((t) => String(t.meta?.role).startsWith("mipro"));
    expect(search.map((t) => `${t.meta!.role}:${t.examples.length}`)).toEqual([...Array(5).fill("mipro-minibatch:35"), "mipro-full:60", ...Array(5).fill("mipro-minibatch:35")]);
    const raced = report.trials.filter((t) => String(t.meta?.role).startsWith("race"));
    expect(raced.at(-1)).toMatchObject({ evaluation: "full", state: "complete", meta: { role: "race-final" } });
    // The full evaluation reused the minibatch scores it already had.
    expect((search[5]!.meta!.reusedExamples as number[]).length).toBeGreaterThan(0);
    // Each full evaluation scores the best minibatch mean not yet fully scored.
    const firstFull = search[5]!;
    const means = new Map<string, number[]>();
    for (const t of search.slice(0, 5)) means.set(JSON.stringify(t.config), [...(means.get(JSON.stringify(t.config)) ?? []), t.score!]);
    const top = [...means].filter(([k]) => k !== JSON.stringify(report.trials[0]!.config)).sort((a, b) => avg(b[1]) - avg(a[1]))[0]!;
    expect(JSON.stringify(firstFull.config)).toBe(top[0]);
    expect(report.bestScore).toBe(Math.max(...report.trials.filter((t) => t.evaluation === "full").map((t) => t.score!)));
  });

  it("searches on auto's validation subsample and scores the winner on the whole set", async () => {
    const report = await runOptimization({ ...setup(120), optimizer: new MIPROv2({ auto: "light", numTrials: 5, maxLabeledDemos: 0 }), lm: taskLM(), promptLM: promptLM(), seed: 3 });
    const fulls = report.trials.filter((t) => t.meta?.role === "mipro-full");
    expect(fulls).toHaveLength(1);
    expect(fulls[0]!.examples).toHaveLength(100);
    expect(report.trials.filter((t) => t.meta?.role === "mipro-minibatch").every((t) => t.examples.every((e) => fulls[0]!.examples.includes(e)))).toBe(true);
    const final = report.trials.at(-1)!;
    expect(final.meta).toMatchObject({ role: "final", finalist: true });
    expect(final.examples).toHaveLength(120);
    expect(final.config).toEqual(fulls[0]!.config);
  });

  it("zero-shot: proposes n instructions, bootstraps only to show the proposer, never changes demos", async () => {
    const prompt = promptLM();
    const report = await runOptimization({ ...setup(), optimizer: new MIPROv2({ maxBootstrappedDemos: 0, maxLabeledDemos: 0 }), lm: taskLM(), promptLM: prompt, seed: 4 });
    expect(proposals(prompt)).toHaveLength(5);
    expect(report.trials.filter((t) => t.meta?.role === "mipro-full")).toHaveLength(9);
    expect(report.trials.every((t) => t.meta?.role === "bootstrap" || (t.config.demos as unknown[]).length === 0)).toBe(true);
    expect(proposals(prompt).some((r) => inputsOf(r).task_demos!.includes("(traced)"))).toBe(true);
    expect(report.config.instructions).toBe("Answer carefully.");
  });

  it("changes only searchable variables", async () => {
    const program = defineProgram({
      name: "TwoStep",
      modules: { draft: new Predict("question -> notes", { instructions: "Draft." }), final: new Predict("question, notes -> answer", { instructions: "Answer." }) },
      forward: async (inputs: { question: string }, m, ctx) => m.final.run({ question: inputs.question, ...(await m.draft.run(inputs, ctx)) }, ctx),
    });
    const space = discoverSpace(program).select((v) => v.name.startsWith("final.") && v.name !== "final.temperature");
    const prompt = promptLM();
    const report = await runOptimization({ ...setup(), program, space, optimizer: new MIPROv2({ numTrials: 6 }), lm: taskLM(), promptLM: prompt, seed: 5 });
    for (const t of report.trials) {
      expect(t.config["draft.instructions"]).toBe("Draft.");
      expect(t.config["draft.demos"]).toEqual([]);
      expect(t.config["draft.temperature"]).toBe(0.7);
      expect(t.config["final.temperature"]).toBe(0.7);
    }
    expect(proposals(prompt).map((r) => r.rolloutId)).toEqual(["mipro:instruction:final.instructions:1", "mipro:instruction:final.instructions:2"]);
    expect(inputsOf(proposals(prompt)[0]!).step_description).toContain("It is step 2 of 2.");
    expect(new Set(report.trials.map((t) => t.config["final.instructions"])).size).toBeGreaterThan(1);
  });

  it("stops cleanly at the budget", async () => {
    const report = await runOptimization({ ...setup(60), optimizer: new MIPROv2(), lm: taskLM(), promptLM: promptLM(), seed: 6, budget: { lmCalls: 150 }, concurrency: 4 });
    expect(report.stopReason).toBe("budget");
    expect(report.spend.lmCalls).toBeLessThanOrEqual(150);
    // No evaluation was started that the budget could not finish.
    expect(report.trials.every((t) => t.state === "complete")).toBe(true);
    expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore);
  });

  it("resumes after a crash to the same result without paying for journaled proposals again", async () => {
    const optimizer = () => new MIPROv2({ numTrials: 12 });
    const uninterrupted = await runOptimization({ ...setup(60), optimizer: optimizer(), lm: taskLM(), promptLM: promptLM(), seed: 7 });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    let searchTrials = 0;
    const firstPrompt = promptLM();
    await runOptimization({
      ...setup(60),
      optimizer: optimizer(),
      lm: taskLM(),
      promptLM: firstPrompt,
      seed: 7,
      checkpoint: store,
      signal: controller.signal,
      onEvent: (e: OptimizationEvent) => {
        if (e.type === "trial:complete" && String(e.trial.meta?.role).startsWith("mipro") && ++searchTrials === 4) controller.abort();
      },
    });
    expect(proposals(firstPrompt)).toHaveLength(2);
    const resumedPrompt = promptLM();
    let replayed = 0;
    const resumed = await runOptimization({
      ...setup(60),
      optimizer: optimizer(),
      lm: taskLM(),
      promptLM: resumedPrompt,
      seed: 7,
      checkpoint: store,
      onEvent: (e) => void (e.type === "trial:complete" && e.replayed && replayed++),
    });
    expect(resumedPrompt.requests).toHaveLength(0);
    expect(replayed).toBeGreaterThanOrEqual(4);
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.bestScore).toBe(uninterrupted.bestScore);
    expect(resumed.trials.map((t) => [t.meta?.role, t.score])).toEqual(uninterrupted.trials.map((t) => [t.meta?.role, t.score]));
  });

  it("resumes after a crash between two proposals, asking only for the proposal not yet journaled", async () => {
    const optimizer = () => new MIPROv2({ numTrials: 6 });
    const uninterrupted = await runOptimization({ ...setup(), optimizer: optimizer(), lm: taskLM(), promptLM: promptLM(), seed: 10 });
    const store = memoryCheckpointStore();
    const controller = new AbortController();
    const crashing = promptLM();
    const crashingLM = { ...crashing, provider: crashing.provider, complete: async (request: LMRequest) => {
      const response = await crashing.complete(request);
      if (request.rolloutId?.endsWith(":1")) controller.abort();
      return response;
    } };
    const crashed = await runOptimization({ ...setup(), optimizer: optimizer(), lm: taskLM(), promptLM: crashingLM, seed: 10, checkpoint: store, signal: controller.signal });
    expect(crashed.stopReason).toBe("aborted");
    expect(proposals(crashing).map((r) => r.rolloutId)).toEqual(["mipro:instruction:instructions:1"]);
    const resumedPrompt = promptLM();
    const resumed = await runOptimization({ ...setup(), optimizer: optimizer(), lm: taskLM(), promptLM: resumedPrompt, seed: 10, checkpoint: store });
    expect(resumedPrompt.requests.map((r) => r.rolloutId)).toEqual(["mipro:instruction:instructions:2"]);
    expect(resumed.config).toEqual(uninterrupted.config);
    expect(resumed.trials.map((t) => [t.meta?.role, t.score])).toEqual(uninterrupted.trials.map((t) => [t.meta?.role, t.score]));
  });

  it("plans what it spends: exact prompt calls, the rest at most", async () => {
    const prompt = promptLM();
    const optimizer = new MIPROv2({ sampler: new RandomSampler() });
    const report = await runOptimization({ ...setup(60), optimizer, lm: taskLM(), promptLM: prompt, seed: 8 });
    expect(report.spend.lmCalls).toBeLessThanOrEqual(report.estimate.lmCalls);
    // Dataset summary: 2 batches of 10 and a summary; 2 proposals.
    expect(prompt.requests).toHaveLength(5);
    expect(report.estimate.notes.join("\n")).toContain("3 dataset-summary and 2 proposal calls");
  });

  it("rejects bad options, naming the option and what it accepts", async () => {
    expect(() => new MIPROv2({ auto: "huge" as never })).toThrow('MIPROv2: option "auto" must be one of "light", "medium", "heavy" (default "light") (got "huge")');
    expect(() => new MIPROv2({ numTrials: 0 })).toThrow(/MIPROv2: option "numTrials" must be a whole number >= 1/);
    expect(() => new MIPROv2({ minibatchSize: 2.5 })).toThrow(/option "minibatchSize" must be a whole number >= 1 \(default 35\)/);
    expect(() => new MIPROv2({ proposalTemperature: 3 })).toThrow(/option "proposalTemperature" must be a number from 0 to 2/);
    expect(() => new MIPROv2({ sampler: {} as never })).toThrow(/option "sampler" must be a Sampler/);
    expect(() => new MIPROv2({ numCandidate: 3 } as never)).toThrow(/option "numCandidate" is not an option; options: auto, numCandidates/);
    await expect(runOptimization({ ...setup(60), optimizer: new MIPROv2({ minibatchSize: 80 }), lm: taskLM(), promptLM: promptLM() })).rejects.toThrow(
      'MIPROv2: option "minibatchSize" must be at most the 60 validation examples searched on (got 80)',
    );
  });
});

function avg(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
