import { z } from "zod";
import type { RunContext } from "../../context";
import { Predict } from "../../modules/predict";
import type { Module } from "../../modules/module";
import { defineSignature } from "../../signatures";
import { describeProgram, stepLabel } from "../proposals";
import type { StepTrace } from "../step-traces";

/** What the rule writer reads: two runs of the program on one example, a better and a worse one. */
export const AdviceSignature = defineSignature({
  instructions: [
    "You are shown two runs of a language-model program on the same input: one that earned a higher reward and one that earned a lower reward.",
    "Help the step named in module_name do better on similar inputs in the future. The step will not see these runs: it only reads your advice, added to its instructions.",
    "Compare the runs, decide where the lower-reward run went wrong, and write advice concrete enough to change the step's behaviour yet general enough to apply to other inputs. Advise only on that step's own sub-task, not the whole program.",
  ].join("\n"),
  inputs: {
    program_description: z.string().describe("Each step of the program: its input and output fields and its current instructions"),
    module_name: z.string().describe("The step to advise"),
    program_inputs: z.string().describe("The program's inputs for this example (JSON)"),
    expected_outputs: z.string().describe("The example's expected outputs, which the program does not see (JSON)"),
    worse_trajectory: z.string().describe("Each step's inputs and outputs in the lower-reward run (JSON)"),
    worse_outputs: z.string().describe("The program's outputs in the lower-reward run (JSON)"),
    worse_reward: z.string().describe("The lower reward, or N/A"),
    worse_reward_info: z.string().describe("What the metric said about the lower-reward run"),
    better_trajectory: z.string().describe("Each step's inputs and outputs in the higher-reward run (JSON)"),
    better_outputs: z.string().describe("The program's outputs in the higher-reward run (JSON)"),
    better_reward: z.string().describe("The higher reward, or N/A"),
    better_reward_info: z.string().describe("What the metric said about the higher-reward run"),
  },
  outputs: {
    discussion: z.string().describe("Where each step of the lower-reward run went wrong, if it did"),
    advice: z.string().describe("Advice for the step: when it receives inputs like ..., it should ... (what to do, what to avoid)"),
  },
});

const adviser = new Predict(AdviceSignature);

/** A run as the rule writer sees it; `undefined` stands for a run left out ("N/A"). */
export interface AdviceRun {
  readonly steps: readonly StepTrace[];
  readonly outputs: Readonly<Record<string, unknown>> | undefined;
  readonly score: number;
  readonly feedback: string | null;
}

export interface AdviceRequest {
  readonly program: Module;
  readonly step: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly expected: Readonly<Record<string, unknown>>;
  readonly better: AdviceRun | undefined;
  readonly worse: AdviceRun | undefined;
}

/** Asks the prompt model for advice to one step, comparing a better and a worse run. */
export async function writeAdvice(request: AdviceRequest, context: RunContext): Promise<string> {
  const run = (r: AdviceRun | undefined) => ({
    trajectory: r ? json(r.steps.map((s) => ({ module_name: stepLabel(s.step), inputs: s.inputs, outputs: s.outputs }))) : "[]",
    outputs: r ? json(r.outputs ?? { error: "the run failed" }) : json({ "N/A": "Prediction not available" }),
    reward: r ? String(round(r.score)) : "N/A",
    info: r?.feedback ?? "(none)",
  });
  const better = run(request.better);
  const worse = run(request.worse);
  const out = await adviser.run(
    {
      program_description: describeProgram(request.program),
      module_name: stepLabel(request.step),
      program_inputs: json(request.inputs),
      expected_outputs: json(request.expected),
      worse_trajectory: worse.trajectory,
      worse_outputs: worse.outputs,
      worse_reward: worse.reward,
      worse_reward_info: worse.info,
      better_trajectory: better.trajectory,
      better_outputs: better.outputs,
      better_reward: better.reward,
      better_reward_info: better.info,
    },
    context,
  );
  return out.advice;
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "null";
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
