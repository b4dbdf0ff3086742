import type { Sampler } from "../../samplers";
import { jsonKey, type Config, type VariableSpace } from "../../variables";
import { findFullTrial } from "../find-full-trial";
import { race } from "../race";
import type { Study } from "../study";
import type { OptimizerContext, TrialResult } from "../types";

export interface SearchPlan {
  readonly space: VariableSpace;
  readonly sampler: Sampler;
  readonly numTrials: number;
  /** Validation indices "full" evaluations score on (all of them, or auto's subsample). */
  readonly evalSet: readonly number[];
  readonly minibatch: boolean;
  readonly minibatchSize: number;
  readonly fullEvalSteps: number;
}

export interface SearchOutcome {
  readonly best: Config;
  /** Its score on the evaluation set. */
  readonly score: number;
  readonly trials: number;
}

interface Scores {
  readonly config: Config;
  readonly minibatch: number[];
  full?: number;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);

/** The search's own record: minibatch scores and full scores per configuration, and its trials. */
class ScoreBook {
  /** Trial numbers the sampler learns from: the baseline and this search's trials. */
  readonly owned = new Set<number>();
  private readonly table = new Map<string, Scores>();

  private entry(config: Config): Scores {
    const key = jsonKey(config);
    let e = this.table.get(key);
    if (!e) this.table.set(key, (e = { config, minibatch: [] }));
    return e;
  }

  record(result: TrialResult, kind: "minibatch" | "full", score = result.score): void {
    this.owned.add(result.number);
    if (result.state !== "complete" || score === undefined) return;
    const e = this.entry(result.config);
    if (kind === "minibatch") e.minibatch.push(score);
    else e.full = Math.max(e.full ?? Number.NEGATIVE_INFINITY, score);
  }

  /** The configuration with the best mean minibatch score that has no full score yet. */
  bestUnverified(): Config | undefined {
    let top: Scores | undefined;
    for (const e of this.table.values()) if (e.minibatch.length && e.full === undefined && (!top || mean(e.minibatch) > mean(top.minibatch))) top = e;
    return top?.config;
  }

  /** Configurations with minibatch scores and no full score, the best mean first. */
  unverified(): Config[] {
    return [...this.table.values()]
      .filter((e) => e.minibatch.length && e.full === undefined)
      .sort((a, b) => mean(b.minibatch) - mean(a.minibatch))
      .map((e) => e.config);
  }

  recordFull(config: Config, score: number): void {
    const e = this.entry(config);
    e.full = Math.max(e.full ?? Number.NEGATIVE_INFINITY, score);
  }

  /** The best full score (the earliest on ties). */
  best(): Scores | undefined {
    let top: Scores | undefined;
    for (const e of this.table.values()) if (e.full !== undefined && (!top || e.full > top.full!)) top = e;
    return top;
  }
}

/** A full trial's mean over some of its examples, from its per-example scores. */
function meanOver(trial: TrialResult, indices: readonly number[]): number | undefined {
  const at = new Map(trial.examples.map((e, i) => [e, trial.scores?.[i]]));
  const values = indices.map((i) => at.get(i));
  return values.every((v) => v !== undefined) ? mean(values as number[]) : undefined;
}

async function scoreFully(study: Study, book: ScoreBook, plan: SearchPlan, config: Config, role: string, all: boolean): Promise<boolean> {
  const { result, refused } = await study.evaluate(config, { ...(all ? {} : { examples: plan.evalSet }), meta: { role } });
  if (refused) return false;
  book.record(result, "full");
  return true;
}

/**
 * MIPROv2's search: the sampler (TPE) proposes whole configurations of the space (instruction and
 * demo-set choices, and any other searchable variable), knowing the baseline's score; each trial
 * scores on a random minibatch (or the whole evaluation set when it is small); every
 * `fullEvalSteps` trials the configuration with the best mean minibatch score not yet fully
 * scored is scored on the evaluation set when the budget allows it (its minibatch scores are
 * reused). At the end the best unverified configurations race on the validation set, the
 * finalist validated from the calls set aside for it; only full scores pick the winner.
 */
export async function searchConfigurations(ctx: OptimizerContext, plan: SearchPlan): Promise<SearchOutcome> {
  const { study } = ctx;
  const book = new ScoreBook();
  const all = plan.evalSet.length === ctx.valset.length;

  // The baseline (DSPy adds it to the TPE study with its full score): reuse its full trial.
  const base = study.space.complete(ctx.space.defaults());
  const known = findFullTrial(study, base);
  const knownScore = known && meanOver(known, plan.evalSet);
  if (known && knownScore !== undefined) book.record(known, "full", knownScore);
  else if (!study.shouldStop()) await scoreFully(study, book, plan, base, "mipro-baseline", all);

  const fullCheck = async () => {
    const top = book.bestUnverified();
    if (top && study.affords(plan.evalSet.length - study.scoresOf(top).size)) await scoreFully(study, book, plan, top, "mipro-full", all);
  };

  let done = 0;
  while (done < plan.numTrials && !study.shouldStop()) {
    const config = await study.ask(plan.sampler, { space: plan.space, trials: (t) => book.owned.has(t.number) });
    const examples = plan.minibatch ? ctx.rng.fork(`minibatch-${done}`).sample(plan.evalSet, plan.minibatchSize).sort((a, b) => a - b) : plan.evalSet;
    const { result, refused } = await study.evaluate(config, {
      ...(plan.minibatch || !all ? { examples } : {}),
      meta: { role: plan.minibatch ? "mipro-minibatch" : "mipro-full", trial: done },
    });
    if (refused) {
      study.budgetLimited(`MIPROv2: ${done} of ${plan.numTrials} trials run; the budget cannot pay for the next one and the final validation`);
      break;
    }
    book.record(result, plan.minibatch ? "minibatch" : "full");
    done++;
    if (result.state === "pruned") break;
    if (plan.minibatch && done % plan.fullEvalSteps === 0 && done < plan.numTrials) await fullCheck();
  }
  if (plan.minibatch && all) {
    // The best unverified configurations race for the final validation (scores already earned reused).
    const contenders = book.unverified().slice(0, 3);
    const best = book.best();
    if (contenders.length && !study.shouldStop()) {
      const outcome = await race(study, { candidates: [...contenders, ...(best ? [best.config] : [])], meta: { optimizer: "mipro-v2" } });
      if (outcome.winner && outcome.score !== undefined) book.recordFull(outcome.winner, outcome.score);
    }
  } else if (plan.minibatch) await fullCheck();

  const best = book.best();
  return { best: best?.config ?? base, score: best?.full ?? Number.NaN, trials: done };
}
