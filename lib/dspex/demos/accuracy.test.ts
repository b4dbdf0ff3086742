// The demo model on the bundled tasks, through the real modules and chat adapter: the levers an
// optimizer can pull (instructions, demos, module, temperature, model) move accuracy the
// documented way. Orderings only, never exact numbers.
import { describe, expect, it } from "vitest";
import { createDemoLM } from "../demo-lm";
import { evaluate } from "../evaluate";
import { DEMO_TASKS, type DemoProgramOptions, type DemoTask } from "./index";

/** Instructions with two or more of each task's cue words (see lib/dspex/demo-lm/README.md). */
const GOOD_INSTRUCTIONS: Record<string, string> = {
  arithmetic: "Work through the problem step by step, applying each operation in order, and give the final whole number.",
  qa: "Answer with the exact short span from the passage that answers the question.",
  classify: "Read the ticket and choose the single category whose description fits it closest.",
};

const SEEDS = [0, 1, 2];

async function accuracy(task: DemoTask, options: DemoProgramOptions): Promise<number> {
  let sum = 0;
  for (const seed of SEEDS) {
    const report = await evaluate(task.makeProgram(options), task.dataset.validation, task.metric, { lm: createDemoLM({ seed }) }, { concurrency: 4, keepTraces: false });
    expect(report.errors).toBe(0);
    sum += report.mean;
  }
  return sum / SEEDS.length;
}

function demosOf(task: DemoTask, k: number) {
  return task.dataset.train.slice(0, k).map((ex) => ({ ...ex.inputs, ...ex.outputs }));
}

describe.each(DEMO_TASKS.map((task) => [task.name, task] as const))("demo model on the %s task", (_name, task) => {
  const good = (temperature: number, model?: string): DemoProgramOptions => ({
    instructions: GOOD_INSTRUCTIONS[task.name],
    demos: demosOf(task, 4),
    module: task.name === "arithmetic" ? "chain-of-thought" : "predict",
    settings: { temperature, ...(model ? { model } : {}) },
  });

  it("is clearly more accurate with good instructions and demos than with empty instructions and none", async () => {
    const bare = await accuracy(task, { instructions: "", settings: { temperature: 0 } });
    const best = await accuracy(task, good(0.2));
    expect(best).toBeGreaterThan(bare + 0.15);
    expect(best).toBeGreaterThan(0.85);
  });

  it("is more accurate at temperature 0.2 than at 1.5", async () => {
    expect(await accuracy(task, good(0.2))).toBeGreaterThan((await accuracy(task, good(1.5))) + 0.15);
  });

  it("gains from each lever alone: instructions, demos", async () => {
    const bare = await accuracy(task, { instructions: "", settings: { temperature: 0 } });
    expect(await accuracy(task, { instructions: GOOD_INSTRUCTIONS[task.name], settings: { temperature: 0 } })).toBeGreaterThan(bare);
    expect(await accuracy(task, { instructions: "", demos: demosOf(task, 4), settings: { temperature: 0 } })).toBeGreaterThan(bare);
  });

  it("ranks the models large > 1 > mini", async () => {
    const plain = (model: string): DemoProgramOptions => ({ instructions: "", settings: { temperature: 0, model } });
    const [mini, standard, large] = [await accuracy(task, plain("dspex-demo-mini")), await accuracy(task, plain("dspex-demo-1")), await accuracy(task, plain("dspex-demo-large"))];
    expect(large).toBeGreaterThan(standard);
    expect(standard).toBeGreaterThan(mini);
  });
});

describe("demo model on arithmetic: the module matters", () => {
  it("ChainOfThought (a reasoning field) beats Predict clearly, most on multi-step problems", async () => {
    const task = DEMO_TASKS.find((t) => t.name === "arithmetic")!;
    const predict = await accuracy(task, { settings: { temperature: 0 } });
    const cot = await accuracy(task, { module: "chain-of-thought", settings: { temperature: 0 } });
    expect(cot).toBeGreaterThan(predict + 0.1);
  });
});
