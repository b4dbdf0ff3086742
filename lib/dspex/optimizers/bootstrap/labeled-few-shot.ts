import { z } from "zod";
import type { Rng } from "../../random";
import { parseOptimizerOptions } from "../optimizer-options";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { demoCapNotes, demoSlots, exampleDemo, stepPaths, withDemos, type DemoCandidate, type StepDemos } from "./demos";
import { scoreOnValidation } from "./score-candidate";

const OptionsSchema = z.strictObject({
  k: z
    .number({ message: "must be a whole number >= 1 (default 16)" })
    .int({ message: "must be a whole number >= 1 (default 16)" })
    .min(1, { message: "must be a whole number >= 1 (default 16)" })
    .default(16),
  sample: z.boolean({ message: "must be true or false (default true)" }).default(true),
});

export type LabeledFewShotOptions = z.input<typeof OptionsSchema>;

/**
 * k labeled training examples per step: a random sample (one stream, drawn step by step) or,
 * with `sample: false`, the first k.
 */
export function labeledCandidate(ctx: Pick<OptimizerContext, "program" | "trainset">, k: number, options: { sample: boolean; rng: Rng; order?: readonly number[] }): DemoCandidate {
  const order = options.order ?? ctx.trainset.map((_, i) => i);
  const steps: Record<string, StepDemos> = {};
  for (const step of stepPaths(ctx.program)) {
    const picked = options.sample ? options.rng.sample(order, Math.min(k, order.length)) : order.slice(0, k);
    steps[step] = { demos: picked.map((i) => exampleDemo(ctx.trainset[i]!)), bootstrapped: 0 };
  }
  return { label: "labeled", steps };
}

/**
 * LabeledFewShot: k labeled training examples as the demos of every searchable demo variable,
 * scored once on the validation set. No LM calls besides that evaluation.
 */
export class LabeledFewShot implements Optimizer {
  readonly name = "labeled-few-shot";
  private readonly options: z.output<typeof OptionsSchema>;

  constructor(options: LabeledFewShotOptions = {}) {
    this.options = parseOptimizerOptions("LabeledFewShot", OptionsSchema, options);
  }

  plan(input: PlanInput) {
    const slots = demoSlots(input.space);
    const lmCalls = slots.length > 0 && input.trainSize > 0 ? input.valSize * input.callsPerRun : 0;
    return {
      lmCalls,
      trials: lmCalls > 0 ? 1 : 0,
      notes: [slots.length > 0 ? `${this.options.k} labeled demos per step, one validation run` : "no searchable demo variables: nothing to do", ...demoCapNotes("LabeledFewShot", slots, { k: this.options.k })],
    };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    const slots = demoSlots(ctx.space);
    const base = ctx.space.defaults();
    if (slots.length === 0 || ctx.trainset.length === 0) {
      ctx.log(`LabeledFewShot: ${slots.length === 0 ? "no searchable demo variables" : "no training examples"}; the program is left as it is`);
      return { best: base };
    }
    for (const note of demoCapNotes("LabeledFewShot", slots, { k: this.options.k })) ctx.log(note);
    const candidate = labeledCandidate(ctx, this.options.k, { sample: this.options.sample, rng: ctx.rng.fork("labeled") });
    const config = withDemos(base, slots, candidate);
    await scoreOnValidation(ctx, config, { role: "candidate", candidate: "labeled" }, { finalist: true });
    return { best: config };
  }
}
