import { bootstrapCallsAtMost, candidateSeeds } from "../bootstrap";
import { datasetSummaryCalls } from "../proposals";
import type { PlanInput } from "../types";
import { DEMOS_IN_PROPOSER_CONTEXT, type MiproSettings } from "./options";
import { fullEvaluationsFor, resolveSetup, type MiproSetup } from "./setup";

/** Whether demo candidates are bootstrapped: to be searched, or (zero-shot) to show the proposer. */
export function bootstrapsDemos(setup: MiproSetup, settings: MiproSettings): boolean {
  return !setup.zeroShot || (setup.instructionSlots.length > 0 && settings.fewshotAwareProposer);
}

/** The bootstrap settings of the demo candidates (zero-shot: 3 traces, no labeled demos, as DSPy). */
export function candidateBootstrapSettings(setup: MiproSetup, settings: MiproSettings) {
  return setup.zeroShot
    ? { ...settings, maxBootstrappedDemos: DEMOS_IN_PROPOSER_CONTEXT, maxLabeledDemos: 0 }
    : settings;
}

/**
 * What MIPROv2 will spend: bootstrapping (an upper bound: each bootstrap stops once enough
 * training examples pass), the dataset summary, one proposal per new instruction, the search
 * trials with their full evaluations, and the final full-set score of the winner when only a
 * subsample was searched on.
 */
export function planMipro(settings: MiproSettings, input: PlanInput) {
  const setup = resolveSetup(settings, input);
  const cpr = input.callsPerRun;
  const boot = candidateBootstrapSettings(setup, settings);
  const bootstraps = bootstrapsDemos(setup, settings)
    ? candidateSeeds(setup.demoCandidates).filter((s) => s >= -1 || (s === -2 && boot.maxLabeledDemos === 0)).length
    : 0;
  const bootstrapCalls = bootstraps * bootstrapCallsAtMost(input, boot);
  const proposing = setup.instructionSlots.length > 0 && setup.instructionCandidates > 1;
  const summaryCalls = proposing && settings.dataAwareProposer ? datasetSummaryCalls(input.trainSize, settings.viewDataBatchSize) : 0;
  const proposalCalls = proposing ? setup.instructionSlots.length * (setup.instructionCandidates - 1) : 0;
  const perTrial = (setup.minibatch ? Math.min(setup.minibatchSize, setup.valsetSize) : setup.valsetSize) * cpr;
  const fulls = setup.minibatch ? fullEvaluationsFor(setup.numTrials, settings.minibatchFullEvalSteps) : 0;
  const searchCalls = setup.numTrials * perTrial + fulls * setup.valsetSize * cpr;
  const subsampled = setup.valsetSize < input.valSize;
  const finalCalls = subsampled ? input.valSize * cpr : 0;
  return {
    setup,
    lmCalls: bootstrapCalls + summaryCalls + proposalCalls + searchCalls + finalCalls,
    trials: setup.numTrials + fulls + (subsampled ? 1 : 0) + (bootstrapCalls > 0 ? bootstraps * input.trainSize * settings.maxRounds : 0),
    notes: [
      `${setup.numTrials} trials over ${setup.promptVariables} prompt variable(s) with n = ${setup.n} (${setup.instructionCandidates} instruction and ${setup.zeroShot ? 0 : setup.demoCandidates} demo candidates per step)`,
      bootstraps > 0 ? `${bootstraps} bootstraps of at most ${bootstrapCallsAtMost(input, boot)} calls each (each stops once enough training examples pass)` : "no bootstrapping",
      `${summaryCalls} dataset-summary and ${proposalCalls} proposal calls to the prompt model`,
      setup.minibatch
        ? `search: ${setup.numTrials} minibatches of ${Math.min(setup.minibatchSize, setup.valsetSize)} and ${fulls} full evaluations on ${setup.valsetSize} validation examples`
        : `search: ${setup.numTrials} evaluations on ${setup.valsetSize} validation examples`,
      ...(subsampled ? [`the winner is scored on all ${input.valSize} validation examples (${finalCalls} calls)`] : []),
    ],
  };
}
