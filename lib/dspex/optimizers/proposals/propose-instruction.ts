import type { RunContext } from "../../context";
import { cleanProposal } from "./dataset-summary";
import { proposeStepInstruction } from "./signatures";

export interface InstructionProposalInput {
  /** The step's current instruction. */
  readonly basicInstruction: string;
  /** Example inputs and outputs of the step, as text ("No task demos provided." when none). */
  readonly taskDemos: string;
  readonly datasetSummary?: string;
  readonly programDescription?: string;
  readonly stepDescription?: string;
  /** A style hint (PROPOSAL_TIPS); empty or absent gives none. */
  readonly tip?: string;
}

export interface ProposalCall {
  /** The prompt model's run context (journaled for resume). */
  readonly context: RunContext;
  /** Each proposal gets its own, so proposals differ and a resumed run finds them in the journal. */
  readonly rolloutId: string;
  /** Default 1.0. */
  readonly temperature?: number;
}

/** One LM call writing a new instruction for a step; the reply without labels or quotes. */
export async function proposeInstruction(input: InstructionProposalInput, call: ProposalCall): Promise<string> {
  const values = {
    ...(input.datasetSummary ? { dataset_summary: input.datasetSummary } : {}),
    ...(input.programDescription ? { program_description: input.programDescription } : {}),
    ...(input.stepDescription ? { step_description: input.stepDescription } : {}),
    task_demos: input.taskDemos,
    basic_instruction: input.basicInstruction,
    ...(input.tip ? { tip: input.tip } : {}),
  };
  const predictor = proposeStepInstruction.with({ settings: { temperature: call.temperature ?? 1.0 } });
  const out = await predictor.run(values, { ...call.context, rolloutId: call.rolloutId });
  return cleanProposal(out.proposed_instruction);
}
