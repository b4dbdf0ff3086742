import { describe, expect, it } from "vitest";
import type { LMRequest } from "../../lm/types";
import { Predict } from "../../modules";
import { byFields, FakeLM, inputsOf } from "../../testing";
import { discoverSpace } from "../../variables";
import { exact, items, view } from "../bootstrap/test-fixture";
import { runOptimization } from "../index";
import { diverseOrder, ReflectRace } from "./index";

/**
 * Items are right when the instructions say "carefully" (even items also with any demo shown);
 * the teacher (model "big") is always right; the reflection model writes "Answer carefully."
 * only when the examples it reads include an error.
 */
function taskLM(): FakeLM {
  return new FakeLM(
    byFields((inputs, outputs, request: LMRequest) => {
      if (outputs.includes("new_instruction")) return { new_instruction: /falls short|wrong/.test(inputs.examples_with_feedback ?? "") ? "Answer carefully." : "Answer." };
      const v = view(request);
      const right = request.model === "big" || v.instructions.includes("carefully") || (v.number % 2 === 0 && v.demoTurns.length > 0);
      return Object.fromEntries(outputs.map((o) => [o, o === "answer" ? (right ? v.question.toUpperCase() : "wrong") : `${o} for ${v.question}`]));
    }),
  );
}

const setup = () => {
  const program = new Predict("question -> answer", { instructions: "Answer." });
  return { program, space: discoverSpace(program, { maxDemos: 2, temperature: false }), trainset: items(20), valset: items(10, 100), metric: exact };
};

describe("ReflectRace", () => {
  it("shows the reflection the program's errors, bootstraps the examples it got wrong first, and races the combinations", async () => {
    const lm = taskLM();
    const report = await runOptimization({ ...setup(), optimizer: new ReflectRace({ demoSets: 2, demos: 2, proposals: 1, probeSize: 6, rounds: 1, teacherSettings: { model: "big" } }), lm, seed: 3 });
    const probe = report.trials.find((t) => t.meta?.role === "probe")!;
    expect(probe).toMatchObject({ set: "train", evaluation: "minibatch" });
    expect(probe.examples).toHaveLength(6);
    const failing = probe.examples.filter((_, j) => probe.scores![j] === 0);
    expect(failing.length).toBeGreaterThan(0);
    // The teacher runs the examples the program got wrong first.
    const teacher = report.trials.filter((t) => t.meta?.role === "bootstrap");
    expect(teacher[0]!.examples.slice(0, Math.min(4, failing.length))).toEqual(failing.slice(0, Math.min(4, failing.length)));
    expect(lm.requests.filter((r) => r.model === "big").length).toBe(teacher.reduce((s, t) => s + t.lmCalls, 0));
    // The reflection read the errors with their feedback.
    const reflection = lm.requests.find((r) => r.messages[0]!.content.includes("new_instruction"))!;
    expect(inputsOf(reflection).examples_with_feedback).toMatch(/falls short of the expected outputs/);
    // Two demo sets, each with and without the proposal: four candidates race; one is validated.
    expect(report.trials.filter((t) => t.meta?.role === "race" && t.meta.rung === 0)).toHaveLength(4);
    expect(report.trials.filter((t) => t.evaluation === "full" && t.meta?.role !== "baseline")).toHaveLength(1);
    expect(report.config.instructions).toBe("Answer carefully.");
    expect(report.bestScore).toBe(1);
    expect(report.baselineScore).toBe(0);
  });

  it("races later rewrites against the leader while the budget pays for a round and its validation", async () => {
    const report = await runOptimization({ ...setup(), optimizer: new ReflectRace({ demoSets: 1, demos: 2, proposals: 1, probeSize: 4, rounds: 4, teacherSettings: { model: "big" } }), lm: taskLM(), seed: 4, budget: { lmCalls: 90 } });
    expect(report.spend.lmCalls).toBeLessThanOrEqual(90);
    expect(report.trials.filter((t) => t.meta?.role === "probe").length).toBeGreaterThan(1);
    expect(report.trials.every((t) => t.evaluation !== "full" || t.state === "complete")).toBe(true);
  });

  it("orders runs to cover different answers first", () => {
    expect(diverseOrder(["a", "a", "b", "a", "c", "b"])).toEqual([0, 2, 4, 1, 5, 3]);
  });
});
