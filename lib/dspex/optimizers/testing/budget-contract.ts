// The budget contract every optimizer meets, as a vitest suite:
// `describeBudgetContract("gepa", () => new Gepa())`. With budgets of 30, 60 and 120 LM calls
// (counted where the model answers) it never exceeds the budget, counts per trial only the calls
// made, never returns a program worse than the baseline on the validation set, and never ends
// with a full evaluation it started and could not finish.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { evaluate, type Example, type Metric } from "../../evaluate";
import type { LMRequest } from "../../lm/types";
import { Predict, type Module } from "../../modules";
import { byFields, FakeLM, inputsOf } from "../../testing";
import { discoverSpace, type VariableSpace } from "../../variables";
import type { OptimizationReport, Optimizer } from "../types";

/** A number in [0, 1) from a text, the same on every run. */
const unit = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0) / 2 ** 32;

export const CONTRACT_BUDGETS = [30, 60, 120] as const;

function items(count: number, from: number): Example[] {
  return Array.from({ length: count }, (_, i) => ({ inputs: { question: `item${from + i}` }, outputs: { answer: `ITEM${from + i}` } }));
}

const exact: Metric = (example, prediction) => (prediction.answer === example.outputs.answer ? 1 : 0);

/**
 * The task model: right on an item with probability 0.35, plus 0.3 when the instructions say
 * "carefully", plus 0.05 per demo shown (up to 4); the draw is fixed per item, so a better prompt
 * never turns a right answer wrong.
 */
function taskLM(): FakeLM {
  return new FakeLM(
    byFields((inputs, outputs, request: LMRequest) => {
      const question = inputs.question;
      if (question === undefined) return Object.fromEntries(outputs.map((o) => [o, /instruction/.test(o) ? proposal(request) : `${o} text`]));
      const system = request.messages[0]?.content ?? "";
      const demos = Math.min(4, Math.max(0, request.messages.filter((m) => m.role === "assistant").length));
      const p = 0.35 + (/carefully/i.test(system) ? 0.3 : 0) + 0.05 * demos;
      return Object.fromEntries(outputs.map((o) => [o, o === "answer" ? (unit(question) < p ? question.toUpperCase() : "wrong") : `${o} for ${question}`]));
    }),
  );
}

/** Proposals say "carefully" about half the time, by rollout. */
function proposal(request: LMRequest): string {
  return unit(request.rolloutId ?? JSON.stringify(inputsOf(request))) < 0.5 ? "Answer carefully." : "Answer quickly.";
}

export interface ContractRun {
  readonly report: OptimizationReport;
  /** Requests the model received (task and prompt calls). */
  readonly served: number;
  /** The returned program's score on the validation set, measured again after the run. */
  readonly rescored: number;
}

/** Runs an optimizer (through `run`, e.g. runOptimization or optimize) with a call budget on the contract task. */
export async function runContract(
  run: (args: { program: Module; space: VariableSpace; trainset: readonly Example[]; valset: readonly Example[]; metric: Metric; lm: FakeLM; budget: { lmCalls: number }; seed: number }) => Promise<OptimizationReport>,
  budget: number,
  seed = 1,
): Promise<ContractRun> {
  const program = new Predict("question -> answer", { instructions: "Answer." });
  const space = discoverSpace(program, { maxDemos: 4 });
  const lm = taskLM();
  const valset = items(10, 100);
  const report = await run({ program, space, trainset: items(20, 0), valset, metric: exact, lm, budget: { lmCalls: budget }, seed });
  const served = lm.requests.length;
  const again = await evaluate(report.program, valset, exact, { lm: taskLM() });
  return { report, served, rescored: again.mean };
}

/** The contract's checks on one run. */
export function expectBudgetDiscipline({ report, served, rescored }: ContractRun, budget: number): void {
  expect(served).toBeLessThanOrEqual(budget);
  expect(report.spend.lmCalls).toBe(served);
  // Per-trial counts are the calls made: with the prompt model's calls they add up to the spend.
  expect(report.trials.reduce((s, t) => s + t.lmCalls, 0) + report.budgetUse.proposals.lmCalls).toBe(report.spend.lmCalls);
  expect(report.bestScore).toBeGreaterThanOrEqual(report.baselineScore);
  expect(rescored).toBeGreaterThanOrEqual(report.baselineScore);
  // Every full evaluation that started finished; the winner is one of them.
  const full = report.trials.filter((t) => t.evaluation === "full");
  expect(full.every((t) => t.state === "complete")).toBe(true);
  expect(full.some((t) => t.score === report.bestScore)).toBe(true);
}

/**
 * The suite: an optimizer (a factory, run through runOptimization) or any runner (e.g. one that
 * calls optimize()) under budgets of 30, 60 and 120 calls.
 */
export function describeBudgetContract(name: string, subject: (() => Optimizer) | { readonly run: Parameters<typeof runContract>[0] }): void {
  const runner: Parameters<typeof runContract>[0] =
    typeof subject === "function"
      ? async (args) => {
          const { runOptimization } = await import("../run");
          return runOptimization({ ...args, optimizer: subject() });
        }
      : subject.run;
  describe(`${name} under a call budget`, () => {
    for (const budget of CONTRACT_BUDGETS) {
      it(`stays within ${budget} calls, never returns worse than the baseline and never ends on a discarded full evaluation`, async () => {
        expectBudgetDiscipline(await runContract(runner, budget), budget);
      });
    }
  });
}
