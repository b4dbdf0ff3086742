import { DspexError } from "../errors";
import type { Config, Variable, VariableSpace } from "../variables";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "./types";

export interface AlternatePart {
  readonly optimizer: Optimizer;
  /** The variables this part searches; the others stay at the best values found so far. */
  readonly variables: (variable: Variable) => boolean;
}

/** The space with every searchable variable outside `keep` fixed at its value in `config`. */
export function fixOthers(space: VariableSpace, config: Config, keep: (v: Variable) => boolean): VariableSpace {
  let out = space;
  for (const v of space.variables) {
    if (v.fixed || keep(v) || !space.isActive(v.name, config)) continue;
    out = out.fix(v.name, config[v.name] ?? v.default);
  }
  return out;
}

/**
 * Joins optimizers that each search part of the space: e.g. GEPA on the instructions while TPE
 * tunes temperature and picks the model. Each part runs in turn on its variables, the others
 * fixed at the best configuration so far; rounds repeat the cycle.
 */
export class Alternate implements Optimizer {
  readonly name: string;
  private readonly rounds: number;

  constructor(
    private readonly parts: readonly AlternatePart[],
    options: { rounds?: number } = {},
  ) {
    if (parts.length === 0) throw new DspexError("OPTION_INVALID", "Alternate: give at least one part");
    this.rounds = options.rounds ?? 1;
    if (!Number.isInteger(this.rounds) || this.rounds < 1) throw new DspexError("OPTION_INVALID", `Alternate: rounds must be a positive integer (got ${String(options.rounds)})`);
    this.name = parts.map((p) => p.optimizer.name).join("+");
  }

  plan(input: PlanInput) {
    let lmCalls = 0;
    let trials = 0;
    const notes: string[] = [];
    for (const part of this.parts) {
      const p = part.optimizer.plan({ ...input, space: input.space.select(part.variables) });
      lmCalls += p.lmCalls * this.rounds;
      trials += p.trials * this.rounds;
      notes.push(`${part.optimizer.name}: ${p.lmCalls} calls per round`);
    }
    return { lmCalls, trials, notes };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    let best: Config = ctx.study.best("full")?.config ?? ctx.space.defaults();
    for (let round = 0; round < this.rounds; round++) {
      for (const [i, part] of this.parts.entries()) {
        if (ctx.study.shouldStop()) return { best };
        // A part may have validated its result from the reserve for the final candidate: set it aside again for the next.
        if (round > 0 || i > 0) ctx.study.setFinalReserve(ctx.valset.length);
        const space = fixOthers(ctx.space, best, part.variables);
        ctx.log(`round ${round + 1}: ${part.optimizer.name} on ${space.searchable().map((v) => v.name).join(", ") || "(nothing searchable)"}`);
        const outcome = await part.optimizer.run({ ...ctx, space, rng: ctx.rng.fork(`alternate-${round}-${i}`) });
        best = ctx.space.complete(outcome.best);
      }
    }
    return { best };
  }
}
