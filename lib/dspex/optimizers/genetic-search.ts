import type { LM } from "../lm/types";
import { Predict } from "../modules/predict";
import type { Rng } from "../random";
import { GeneticSampler, type GeneticSamplerOptions, type RewriteText } from "../samplers";
import { signature } from "../signatures";
import { SamplerSearch, type SamplerSearchOptions } from "./sampler-search";
import type { Optimizer, OptimizerContext, OptimizerOutcome, PlanInput } from "./types";

const REWRITE = signature('instruction: string "the instruction to vary" -> new_instruction: string "a variation with the same intent"', {
  instructions:
    "Rewrite the instruction for a language-model step: keep its intent and every requirement, change the wording, " +
    "emphasis or level of detail so that the variation might work better.",
});

/**
 * The genetic sampler's text mutation as an LM rewrite: each mutation asks the prompt model for
 * a variation (a fresh sample per draw, so mutations differ), falling back to the old text when
 * the model answers nothing usable.
 */
export function lmRewrite(lm: LM): RewriteText {
  const rewrite = new Predict(REWRITE, { settings: { temperature: 1 } });
  return async (text: string, rng: Rng) => {
    const rolloutId = `genetic-rewrite-${Math.floor(rng.next() * 2 ** 32).toString(36)}`;
    try {
      const out = await rewrite.run({ instruction: text }, { lm, rolloutId });
      const next = String(out.new_instruction ?? "").trim();
      return next || text;
    } catch {
      return text;
    }
  };
}

/** Genetic search over any space, text variables mutated by an LM rewrite with the prompt model. */
export class GeneticSearch implements Optimizer {
  readonly name = "search:genetic";

  constructor(
    private readonly options: Omit<SamplerSearchOptions, "sampler"> & { readonly genetic?: Omit<GeneticSamplerOptions, "rewriteText"> } = {},
  ) {}

  plan(input: PlanInput) {
    const base = new SamplerSearch({ ...this.options, sampler: new GeneticSampler(this.options.genetic) }).plan(input);
    const texts = input.space.searchable().filter((v) => v.kind === "text").length;
    // At most one rewrite per text variable per trial.
    return { ...base, lmCalls: base.lmCalls + texts * (this.options.trials ?? 30), notes: texts ? [`up to ${texts} LM rewrite(s) per trial`] : [] };
  }

  run(ctx: OptimizerContext): Promise<OptimizerOutcome> {
    const sampler = new GeneticSampler({ ...this.options.genetic, rewriteText: lmRewrite(ctx.promptLM) });
    return new SamplerSearch({ ...this.options, sampler }).run(ctx);
  }
}
