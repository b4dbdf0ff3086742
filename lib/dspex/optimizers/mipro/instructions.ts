import type { Module } from "../../modules/module";
import { programSteps, stepPredictor } from "../../variables";
import { BudgetExceededError } from "../budget";
import { textSlotNote, type BuiltCandidate, type TextSlot } from "../bootstrap";
import { describeProgram, describeStep, formatValues, promptContext, proposeInstruction, PROPOSAL_TIP_NAMES, PROPOSAL_TIPS, summarizeDataset } from "../proposals";
import type { OptimizerContext } from "../types";
import { DEMOS_IN_PROPOSER_CONTEXT, type MiproSettings } from "./options";

export const NO_TASK_DEMOS = "No task demos provided.";

/**
 * Up to `count` bootstrapped demos of a step, as text, from demo set `index` and then the sets
 * after it (wrapping around); labeled demos are not shown. Set 0 (zero-shot) shows none.
 */
export function taskDemosText(program: Module, step: string, candidates: readonly BuiltCandidate[], index: number, count = DEMOS_IN_PROPOSER_CONTEXT): string {
  if (candidates.length === 0 || index % candidates.length === 0) return NO_TASK_DEMOS;
  const found = programSteps(program).find(([path]) => path === step);
  const fields = found ? [...stepPredictor(found[1], step).signature.inputs, ...stepPredictor(found[1], step).signature.outputs].map((f) => f.name) : undefined;
  const start = index % candidates.length;
  const texts: string[] = [];
  for (let k = 0; k < candidates.length && texts.length < count; k++) {
    const stepDemos = candidates[(start + k) % candidates.length]!.steps[step];
    if (!stepDemos) continue;
    for (const demo of stepDemos.demos.slice(0, stepDemos.bootstrapped)) {
      if (texts.length >= count) break;
      texts.push(formatValues(demo, fields));
    }
  }
  return texts.length ? texts.join("\n\n") : NO_TASK_DEMOS;
}

async function datasetSummary(ctx: OptimizerContext, settings: MiproSettings): Promise<string | undefined> {
  if (!settings.dataAwareProposer || ctx.trainset.length === 0) return undefined;
  try {
    const result = await summarizeDataset({
      trainset: ctx.trainset,
      context: promptContext(ctx.study, ctx.promptLM),
      batchSize: settings.viewDataBatchSize,
      shouldStop: () => ctx.study.shouldStop(),
    });
    return result.summary || undefined;
  } catch (err) {
    if (err instanceof BudgetExceededError || ctx.study.shouldStop()) throw err;
    ctx.log(`MIPROv2: the dataset summary failed (${err instanceof Error ? err.message : String(err)}); proposing without it`);
    return undefined;
  }
}

/**
 * Instruction candidates per step (by variable name): the original first, then one proposal per
 * remaining candidate, each a prompt-model call at the proposal temperature with its own rollout
 * id, grounded in the dataset summary, the program and step descriptions, bootstrapped demos from
 * one candidate set and a random tip (MIPROv2's grounded proposer).
 */
export async function proposeInstructionCandidates(
  ctx: OptimizerContext,
  settings: MiproSettings,
  slots: readonly TextSlot[],
  count: number,
  demoCandidates: readonly BuiltCandidate[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(slots.map((s) => [s.name, [String(ctx.space.require(s.name).default)]]));
  if (count < 2 || slots.length === 0 || ctx.study.shouldStop()) return out;
  const summary = await datasetSummary(ctx, settings);
  // The program as it is configured now (instructions, module choices), not as first built.
  const current = ctx.study.space.apply(ctx.program, ctx.study.space.complete(ctx.space.defaults()));
  const programDescription = settings.programAwareProposer ? describeProgram(current) : undefined;
  const tips = ctx.rng.fork("tips");
  const context = promptContext(ctx.study, ctx.promptLM);
  for (const slot of slots) {
    const list = out.get(slot.name)!;
    const note = textSlotNote(slot);
    const described = settings.programAwareProposer ? describeStep(current, slot.step) : undefined;
    const stepDescription = [described, note].filter((x) => x !== undefined).join("\n\n") || undefined;
    for (let i = 1; i < count; i++) {
      const tip = settings.tipAwareProposer ? PROPOSAL_TIPS[tips.pick(PROPOSAL_TIP_NAMES)] : undefined;
      if (ctx.study.shouldStop()) return out;
      try {
        const text = await proposeInstruction(
          {
            basicInstruction: list[0]!,
            taskDemos: settings.fewshotAwareProposer ? taskDemosText(current, slot.step, demoCandidates, i) : NO_TASK_DEMOS,
            ...(summary ? { datasetSummary: summary } : {}),
            ...(programDescription ? { programDescription } : {}),
            ...(stepDescription ? { stepDescription } : {}),
            ...(tip ? { tip } : {}),
          },
          { context, rolloutId: `mipro:instruction:${slot.name}:${i}`, temperature: settings.proposalTemperature },
        );
        if (text) list.push(text);
      } catch (err) {
        if (err instanceof BudgetExceededError || ctx.study.shouldStop()) return out;
        ctx.log(`MIPROv2: proposal ${i} for ${slot.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  return out;
}
