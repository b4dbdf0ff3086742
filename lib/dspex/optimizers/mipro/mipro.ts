import { jsonKey, type JsonValue, type VariableSpace } from "../../variables";
import { buildDemoCandidates, checkTeacher, withDemos, type BuiltCandidate } from "../bootstrap";
import { parseOptimizerOptions } from "../optimizer-options";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { proposeInstructionCandidates } from "./instructions";
import { defaultMiproSampler, MiproOptionsSchema, type MiproOptions, type MiproSettings } from "./options";
import { bootstrapsDemos, candidateBootstrapSettings, planMipro } from "./plan";
import { searchConfigurations } from "./search";
import { resolveSetup, type MiproSetup } from "./setup";

/**
 * MIPROv2 (Opsahl-Ong et al., 2024) over the universal variable space: bootstrap demo candidate
 * sets per step, propose instruction candidates grounded in the data, the program and the demos,
 * then search every searchable variable at once with TPE (instruction and demo-set choices, and
 * temperature, model, module or any other searchable variable) on minibatches, with periodic
 * full evaluations deciding the winner.
 */
export class MIPROv2 implements Optimizer {
  readonly name = "mipro-v2";
  private readonly settings: MiproSettings;

  constructor(options: MiproOptions = {}) {
    this.settings = parseOptimizerOptions("MIPROv2", MiproOptionsSchema, options);
  }

  plan(input: PlanInput) {
    const { lmCalls, trials, notes } = planMipro(this.settings, input);
    return { lmCalls, trials, notes };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    checkTeacher("MIPROv2", ctx, this.settings);
    const setup = resolveSetup(this.settings, { space: ctx.space, valSize: ctx.valset.length });
    const base = ctx.space.defaults();
    if (ctx.space.searchable().length === 0) {
      ctx.log("MIPROv2: no searchable variables; the program is left as it is");
      return { best: base };
    }
    ctx.log(
      `MIPROv2 (${this.settings.auto}): n = ${setup.n}, ${setup.numTrials} trials, ${setup.instructionCandidates} instruction candidates for ${setup.instructionSlots.length} step(s), ${setup.zeroShot ? "no demo search" : `${setup.demoCandidates} demo sets for ${setup.demoSlots.length} step(s)`}, ${setup.minibatch ? `minibatches of ${setup.minibatchSize}` : "full evaluations"} on ${setup.valsetSize} validation examples`,
    );

    const demoCandidates = bootstrapsDemos(setup, this.settings)
      ? await buildDemoCandidates(ctx, setup.demoCandidates, { ...candidateBootstrapSettings(setup, this.settings), prefix: "mipro" }, ctx.rng.fork("demo-candidates"))
      : [];
    if (ctx.study.shouldStop()) return { best: base };
    const instructions = await proposeInstructionCandidates(ctx, this.settings, setup.instructionSlots, setup.instructionCandidates, demoCandidates);
    if (ctx.study.shouldStop()) return { best: base };

    const space = this.searchSpace(ctx.space, setup, instructions, demoCandidates);
    const all = ctx.valset.map((_, i) => i);
    const evalSet = setup.valsetSize < all.length ? ctx.rng.fork("valset").sample(all, setup.valsetSize).sort((a, b) => a - b) : all;
    const outcome = await searchConfigurations(ctx, {
      space,
      sampler: this.settings.sampler ?? defaultMiproSampler(),
      numTrials: setup.numTrials,
      evalSet,
      minibatch: setup.minibatch,
      minibatchSize: setup.minibatchSize,
      fullEvalSteps: this.settings.minibatchFullEvalSteps,
    });
    const summary = `MIPROv2: best ${Number.isNaN(outcome.score) ? "(none scored)" : outcome.score.toFixed(4)} on ${evalSet.length} validation examples after ${outcome.trials} of ${setup.numTrials} trials`;
    ctx.log(summary);
    const notes = [summary, ...[...instructions].flatMap(([name, texts]) => texts.slice(1).map((t, i) => `${name} candidate ${i + 1}: ${t}`))];
    return { best: outcome.best, notes };
  }

  /** The space with the proposed instructions and the demo candidate sets added as candidates. */
  private searchSpace(space: VariableSpace, setup: MiproSetup, instructions: ReadonlyMap<string, string[]>, demos: readonly BuiltCandidate[]): VariableSpace {
    let out = space;
    for (const [name, texts] of instructions) if (texts.length > 1) out = out.withCandidates(name, texts.slice(1));
    for (const slot of setup.demoSlots) {
      const seen = new Set<string>();
      const sets: JsonValue[] = [];
      for (const candidate of demos) {
        const value = withDemos({}, [slot], candidate)[slot.name]!;
        const key = jsonKey(value);
        if (!seen.has(key)) sets.push(value);
        seen.add(key);
      }
      if (sets.length) out = out.withCandidates(slot.name, sets);
    }
    return out;
  }
}
