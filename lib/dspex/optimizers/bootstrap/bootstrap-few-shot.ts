import { z } from "zod";
import { OptimizerOptionError, parseOptimizerOptions } from "../optimizer-options";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "../types";
import { bootstrapDemos } from "./bootstrap-demos";
import { demoCapNotes, demoSlots, withDemos } from "./demos";
import { bootstrapShape, type BootstrapSettings } from "./options";
import { bootstrapCallsAtMost } from "./plan";
import { scoreOnValidation } from "./score-candidate";

const OptionsSchema = z.strictObject(bootstrapShape({ maxLabeledDemos: 16 }));

export type BootstrapFewShotOptions = z.input<typeof OptionsSchema>;

/** Checks a teacher configuration against the space the optimizer runs on. */
export function checkTeacher(optimizer: string, ctx: OptimizerContext, settings: BootstrapSettings): void {
  if (!settings.teacher) return;
  const checked = ctx.space.validate(settings.teacher);
  if (!checked.ok) throw new OptimizerOptionError(optimizer, "teacher", settings.teacher, `is not a valid configuration of the program: ${checked.errors.join("; ")}`);
}

/**
 * BootstrapFewShot: a teacher (the program as it is, or the `teacher` configuration) runs over
 * the training set in order; the traces of the first `maxBootstrappedDemos` examples that pass the
 * metric become demos of every step, and labeled examples from the rest fill each step up to
 * `maxLabeledDemos`. The result is scored once on the validation set.
 */
export class BootstrapFewShot implements Optimizer {
  readonly name = "bootstrap-few-shot";
  private readonly settings: BootstrapSettings;

  constructor(options: BootstrapFewShotOptions = {}) {
    this.settings = parseOptimizerOptions("BootstrapFewShot", OptionsSchema, options);
  }

  plan(input: PlanInput) {
    if (demoSlots(input.space).length === 0) return { lmCalls: 0, trials: 0, notes: ["no searchable demo variables: nothing to do"] };
    const bootstrap = bootstrapCallsAtMost(input, this.settings);
    const validation = input.valSize * input.callsPerRun;
    return {
      lmCalls: bootstrap + validation,
      trials: 1 + (bootstrap > 0 ? input.trainSize * this.settings.maxRounds : 0),
      notes: [
        `bootstrapping: at most ${bootstrap} calls (it stops once ${this.settings.maxBootstrappedDemos} training examples pass the metric)`,
        `${validation} calls to score the result on the validation set`,
        ...demoCapNotes("BootstrapFewShot", demoSlots(input.space), this.settings),
      ],
    };
  }

  async run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    checkTeacher("BootstrapFewShot", ctx, this.settings);
    const slots = demoSlots(ctx.space);
    const base = ctx.space.defaults();
    if (slots.length === 0) {
      ctx.log("BootstrapFewShot: no searchable demo variables; the program is left as it is");
      return { best: base };
    }
    for (const note of demoCapNotes("BootstrapFewShot", slots, this.settings)) ctx.log(note);
    const outcome = await bootstrapDemos(ctx, this.settings, {
      label: "bootstrapped",
      order: ctx.trainset.map((_, i) => i),
      rng: ctx.rng.fork("bootstrapped"),
      prefix: this.name,
    });
    ctx.log(`BootstrapFewShot: ${outcome.passed.length} of ${outcome.attempts} teacher runs passed the metric${outcome.stopped ? " (stopped: budget)" : ""}`);
    const config = withDemos(base, slots, outcome);
    if (outcome.passed.length > 0 || this.settings.maxLabeledDemos > 0) await scoreOnValidation(ctx, config, { role: "candidate", candidate: "bootstrapped" }, { finalist: true });
    return { best: config };
  }
}
