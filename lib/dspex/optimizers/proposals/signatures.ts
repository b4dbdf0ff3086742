import { z } from "zod";
import { Predict } from "../../modules/predict";
import { defineSignature } from "../../signatures";

/** Notes on a first batch of training examples. */
export const describeDataset = new Predict(
  defineSignature({
    instructions:
      "You are shown examples from a dataset. Write down observations that hold for most or all of them: their topics, content, format, length, and what task the data seems meant for.",
    inputs: { examples: z.string().describe("Examples drawn from the dataset") },
    outputs: { observations: z.string().describe("Observations that hold for most or all of the examples") },
  }),
);

/** Notes on a further batch, given the notes so far; "COMPLETE" when there is nothing to add. */
export const extendDatasetObservations = new Predict(
  defineSignature({
    instructions:
      "You are shown more examples from a dataset, and the observations made so far. Add observations that are new and hold for most or all examples. If the observations so far already cover everything, reply with the single word COMPLETE.",
    inputs: {
      examples: z.string().describe("Examples drawn from the dataset"),
      prior_observations: z.string().describe("Observations made so far"),
    },
    outputs: { observations: z.string().describe("New observations, or COMPLETE when there is nothing to add") },
  }),
);

/** The observations boiled down to a short summary. */
export const summarizeObservations = new Predict(
  defineSignature({
    instructions: "Summarize these observations about a dataset in two or three sentences, keeping only the most important points.",
    inputs: { observations: z.string().describe("Observations about the dataset") },
    outputs: { summary: z.string().describe("A summary of two or three sentences") },
  }),
);

/** Writes a new instruction for one step of a program (MIPROv2's grounded proposer). */
export const proposeStepInstruction = new Predict(
  defineSignature({
    instructions:
      "Learn about a task that a language-model program solves from the information below, then write a new instruction for one step of the program that will help the language model do that step better.",
    inputs: {
      dataset_summary: z.string().optional().describe("What the training data looks like"),
      program_description: z.string().optional().describe("The program: its steps and their signatures"),
      step_description: z.string().optional().describe("The step to write an instruction for"),
      task_demos: z.string().describe("Example inputs and outputs of the step"),
      basic_instruction: z.string().describe("The step's current instruction"),
      tip: z.string().optional().describe("A hint on how to write the new instruction"),
    },
    outputs: { proposed_instruction: z.string().describe("The new instruction for the step") },
  }),
);
