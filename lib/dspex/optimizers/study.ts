import { createHash } from "node:crypto";
import type { RunContext } from "../context";
import { DspexError } from "../errors";
import { evaluate } from "../evaluate/evaluate";
import type { Example, Metric } from "../evaluate/types";
import { composeLM, createPriceTable, withCache, withCostMeter, type CacheStore, type PriceTable } from "../lm";
import { addUsage, EMPTY_USAGE, type LM, type LMResponse, type LMSettings } from "../lm/types";
import type { Module } from "../modules/module";
import { createRng, type Rng } from "../random";
import { paretoTrials } from "./pareto-trials";
import { QUALITY, type Objective, type Sampler, type TrialRecord } from "../samplers/types";
import { jsonKey, type Config, type JsonValue, type VariableSpace } from "../variables";
import { BudgetTracker } from "./budget";
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, parseCheckpoint, type Checkpoint, type CheckpointStore } from "./checkpoint";
import type { Budget, EvaluationKind, OptimizationEvent, Spend, StopReason, TrialDetails, TrialResult } from "./types";

export interface StudyOptions {
  /** Name of the optimizer driving the study (part of the checkpoint fingerprint). */
  readonly optimizer: string;
  readonly program: Module;
  readonly space: VariableSpace;
  readonly trainset: readonly Example[];
  readonly valset: readonly Example[];
  readonly metric: Metric;
  /** The model the program runs on. */
  readonly lm: LM;
  /** The model proposals and reflections are written with (default: lm). */
  readonly promptLM?: LM;
  /** Extra run context for every evaluation (adapter, default settings). */
  readonly context?: Omit<RunContext, "lm" | "tracer" | "signal" | "paths" | "parentSpanId">;
  readonly objectives?: readonly Objective[];
  readonly seed: number;
  readonly budget?: Budget;
  /** Examples evaluated at once within a trial (default 8). */
  readonly concurrency?: number;
  readonly checkpoint?: CheckpointStore;
  readonly onEvent?: (event: OptimizationEvent) => void;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  readonly prices?: PriceTable;
}

export interface EvaluateOptions {
  /** Which examples (indices into the set); default: all of it. */
  readonly examples?: readonly number[];
  /** Evaluate on the validation set (default) or the training set. */
  readonly set?: "val" | "train";
  readonly meta?: Readonly<Record<string, JsonValue>>;
  /** Keep per-example outputs and traces (needed for reflection); costs nothing extra on resume. */
  readonly details?: boolean;
  /** Sample past the cache (e.g. a bootstrapping round): every LM call gets this rollout id. */
  readonly rolloutId?: string;
  /** Settings forced on every step (e.g. temperature 1.0 for diverse samples). */
  readonly overrideSettings?: LMSettings;
}

let defaultPrices: PriceTable | undefined;

/**
 * The trial protocol every optimizer uses: evaluate configurations (numbered in call order),
 * ask samplers, keep the budget, checkpoint after each trial, and on resume answer finished
 * trials from the checkpoint instead of running them again.
 */
export class Study {
  readonly rng: Rng;
  readonly objectives: readonly Objective[];
  private readonly tracker: BudgetTracker;
  private readonly results: TrialResult[] = [];
  private readonly recorded: Map<number, TrialResult>;
  private readonly journal: Map<string, LMResponse>;
  private readonly running = new Map<number, Config>();
  private readonly taskLM: LM;
  private readonly journaledTaskLM: LM;
  readonly promptLM: LM;
  private nextNumber = 0;
  private stopped: StopReason | undefined;
  private bestScore = Number.NEGATIVE_INFINITY;
  private readonly fingerprint: string;

  private constructor(
    private readonly options: StudyOptions,
    checkpoint: Checkpoint | undefined,
  ) {
    this.rng = createRng(options.seed);
    this.objectives = options.objectives ?? [QUALITY];
    if (this.objectives[0]?.name !== "quality") throw new DspexError("OPTION_INVALID", "objectives: the first objective must be quality");
    this.fingerprint = fingerprintOf(options, this.objectives);
    // Pruned trials never ran to the end (budget, abort): a resumed run runs them again.
    this.recorded = new Map((checkpoint?.trials ?? []).filter((t) => t.state !== "pruned").map((t) => [t.number, t]));
    this.journal = new Map(Object.entries(checkpoint?.journal ?? {}));
    this.tracker = new BudgetTracker(options.budget ?? {}, options.now, checkpoint?.spend);
    const prices = options.prices ?? (defaultPrices ??= createPriceTable());
    const store: CacheStore = {
      get: async (key) => this.journal.get(key),
      set: async (key, response) => {
        this.journal.set(key, response);
      },
    };
    const metered = (lm: LM) => composeLM(lm, withCostMeter({ prices }), this.tracker.middleware());
    this.taskLM = metered(options.lm);
    this.journaledTaskLM = composeLM(this.taskLM, withCache({ maxEntries: 10_000, store }));
    this.promptLM = composeLM(metered(options.promptLM ?? options.lm), withCache({ maxEntries: 10_000, store }));
  }

  /** Opens a study, resuming from the checkpoint store when it holds a checkpoint of this setup. */
  static async open(options: StudyOptions): Promise<Study> {
    const raw = await options.checkpoint?.load();
    let checkpoint: Checkpoint | undefined;
    if (raw !== undefined && raw !== null) {
      checkpoint = parseCheckpoint(raw);
      const expected = fingerprintOf(options, options.objectives ?? [QUALITY]);
      if (checkpoint.fingerprint !== expected || checkpoint.seed !== options.seed || checkpoint.optimizer !== options.optimizer) {
        throw new DspexError(
          "CHECKPOINT_INVALID",
          `Checkpoint: it was written by another setup (optimizer ${checkpoint.optimizer}, seed ${checkpoint.seed}); resume with the same optimizer, seed, program variables and data, or start without it`,
        );
      }
    }
    return new Study(options, checkpoint);
  }

  get program(): Module {
    return this.options.program;
  }

  get space(): VariableSpace {
    return this.options.space;
  }

  get trainset(): readonly Example[] {
    return this.options.trainset;
  }

  get valset(): readonly Example[] {
    return this.options.valset;
  }

  /** Finished trials, in number order. */
  get trials(): readonly TrialResult[] {
    return this.results;
  }

  /** Trials read back from the checkpoint when this run started. */
  get resumedTrials(): number {
    return this.recorded.size;
  }

  get spend(): Spend {
    return this.tracker.spend();
  }

  get stopReason(): StopReason | undefined {
    return this.stopped;
  }

  /** True once the budget is spent or the run was aborted: optimizers end their loops then. */
  shouldStop(): boolean {
    if (this.stopped) return true;
    if (this.options.signal?.aborted) this.stopped = "aborted";
    else if (this.tracker.exhausted()) this.stopped = "budget";
    return this.stopped !== undefined;
  }

  /** The LM for running the program outside trials (e.g. bootstrapping traces); journaled for resume. */
  get programLM(): LM {
    return this.journaledTaskLM;
  }

  /** The run context evaluations use, with a given LM. */
  contextFor(lm: LM): RunContext {
    return { ...this.options.context, lm, signal: this.options.signal };
  }

  emit(event: OptimizationEvent): void {
    this.options.onEvent?.(event);
  }

  log(message: string): void {
    this.emit({ type: "log", message });
  }

  /** Indices of `size` examples of a set, drawn from a stream named by `label` (reproducible). */
  sampleIndices(size: number, label: string, set: "val" | "train" = "val"): number[] {
    const n = (set === "val" ? this.valset : this.trainset).length;
    const all = Array.from({ length: n }, (_, i) => i);
    return size >= n ? all : this.rng.fork(label).sample(all, size).sort((a, b) => a - b);
  }

  /** Proposes a configuration from a sampler, given the trials so far (optionally filtered). */
  async ask(
    sampler: Sampler,
    options: { space?: VariableSpace; trials?: (t: TrialResult) => boolean; pending?: readonly Config[] } = {},
  ): Promise<Config> {
    const pending = options.pending ?? [];
    const trialNumber = this.nextNumber + this.running.size + pending.length;
    const finished: TrialRecord[] = this.results
      .filter((t) => options.trials?.(t) ?? true)
      .map((t) => ({ number: t.number, config: t.config, state: t.state, values: t.values, evaluation: t.evaluation }));
    const running: TrialRecord[] = [
      ...[...this.running].map(([number, config]): TrialRecord => ({ number, config, state: "running" })),
      ...pending.map((config, i): TrialRecord => ({ number: this.nextNumber + this.running.size + i, config, state: "running" })),
    ];
    const config = await sampler.ask({
      space: options.space ?? this.space,
      trials: [...finished, ...running].sort((a, b) => a.number - b.number),
      objectives: this.objectives,
      rng: this.rng.fork(`ask-${trialNumber}`),
      trialNumber,
    });
    return config;
  }

  /**
   * Evaluates a configuration on some or all examples of a set, as the next numbered trial. A
   * trial finished before a crash is answered from the checkpoint; once the budget is spent,
   * the trial is returned pruned without running.
   */
  async evaluate(config: Config, options: EvaluateOptions = {}): Promise<{ result: TrialResult; details?: TrialDetails }> {
    const number = this.nextNumber++;
    const set = options.set ?? "val";
    const data = set === "val" ? this.valset : this.trainset;
    const indices = options.examples ? [...options.examples] : data.map((_, i) => i);
    const evaluation: EvaluationKind = indices.length === data.length && set === "val" ? "full" : "minibatch";
    const full = this.space.complete(config);

    const replay = this.recorded.get(number);
    if (replay) {
      if (jsonKey(replay.config) !== jsonKey(full)) {
        throw new DspexError("CHECKPOINT_INVALID", `Checkpoint: the resumed run proposed another configuration at trial ${number} than the run it resumes; resume with the same seed and setup`);
      }
      this.accept(replay, true);
      // Per-example details are not checkpointed; rebuilding them replays journaled LM calls only.
      const details = options.details ? (await this.run(full, indices, data, true, options)).details : undefined;
      return { result: replay, details };
    }

    const startedAt = Date.now();
    if (this.shouldStop()) {
      const pruned = { ...this.blank(number, full, evaluation, indices, startedAt, `not run: ${this.stopped}`, options.meta), set };
      this.results.push(pruned);
      return { result: pruned };
    }
    this.running.set(number, full);
    this.emit({ type: "trial:start", trial: number, config: full, evaluation, examples: indices.length });
    let result: TrialResult;
    let details: TrialDetails | undefined;
    try {
      const run = await this.run(full, indices, data, options.details ?? false, options);
      details = run.details;
      const budgetHit = run.errors > 0 && this.shouldStop();
      result = {
        number,
        config: full,
        state: budgetHit ? "pruned" : "complete",
        evaluation,
        set,
        examples: indices,
        ...(budgetHit ? { error: `stopped: ${this.stopped}` } : { score: run.mean, values: this.values(run), scores: run.scores, feedback: run.feedback }),
        costUsd: run.costUsd,
        lmCalls: run.lmCalls,
        usage: run.usage,
        latencyMs: run.latencyMs,
        startedAt,
        finishedAt: Date.now(),
        ...(options.meta ? { meta: options.meta } : {}),
      };
    } catch (err) {
      result = { ...this.blank(number, full, evaluation, indices, startedAt, err instanceof Error ? err.message : String(err), options.meta, "failed"), set };
    } finally {
      this.running.delete(number);
    }
    this.accept(result, false);
    await this.save();
    return { result, details };
  }

  /** The best complete trial by score, preferring full evaluations. */
  best(kind: EvaluationKind | "any" = "full"): TrialResult | undefined {
    const pool = this.results.filter((t) => t.state === "complete" && t.score !== undefined && (kind === "any" || t.evaluation === kind));
    return pool.reduce<TrialResult | undefined>((best, t) => (!best || t.score! > best.score! ? t : best), undefined);
  }

  /** Complete full evaluations not dominated on every objective. */
  paretoFront(): TrialResult[] {
    return paretoTrials(
      this.results.filter((t) => t.state === "complete" && t.evaluation === "full" && t.values),
      this.objectives,
    );
  }

  async save(): Promise<void> {
    if (!this.options.checkpoint) return;
    await this.options.checkpoint.save({
      format: CHECKPOINT_FORMAT,
      version: CHECKPOINT_VERSION,
      optimizer: this.options.optimizer,
      seed: this.options.seed,
      fingerprint: this.fingerprint,
      trials: [...this.results],
      journal: Object.fromEntries(this.journal),
      spend: this.tracker.spend(),
      savedAt: new Date().toISOString(),
    });
  }

  private accept(result: TrialResult, replayed: boolean): void {
    this.results.push(result);
    this.emit({ type: "trial:complete", trial: result, replayed });
    if (result.state === "complete" && result.evaluation === "full" && result.score! > this.bestScore) {
      this.bestScore = result.score!;
      this.emit({ type: "best", trial: result.number, score: result.score!, config: result.config });
    }
    this.emit({ type: "progress", spend: this.tracker.spend(), trials: this.results.length });
  }

  private values(run: { mean: number; costUsd: number; latencyMs: number; n: number }): number[] {
    return this.objectives.map((o) => (o.name === "quality" ? run.mean : o.name === "cost" ? run.costUsd / Math.max(1, run.n) : o.name === "latency" ? run.latencyMs : Number.NaN));
  }

  private async run(config: Config, indices: readonly number[], data: readonly Example[], keepDetails: boolean, options: EvaluateOptions) {
    const program = this.space.apply(this.program, config);
    const lm = keepDetails ? this.journaledTaskLM : this.taskLM;
    const context: RunContext = {
      ...this.contextFor(lm),
      ...(options.rolloutId !== undefined ? { rolloutId: options.rolloutId } : {}),
      ...(options.overrideSettings ? { overrideSettings: options.overrideSettings } : {}),
    };
    const report = await evaluate(
      program,
      indices.map((i) => data[i]!),
      this.options.metric,
      context,
      { concurrency: this.options.concurrency ?? 8, keepTraces: keepDetails },
    );
    const byPosition = [...report.results].sort((a, b) => a.index - b.index);
    let usage = EMPTY_USAGE;
    for (const r of byPosition) usage = addUsage(usage, r.usage);
    return {
      n: byPosition.length,
      mean: report.mean,
      errors: report.errors,
      scores: byPosition.map((r) => r.score),
      feedback: byPosition.map((r) => r.feedback ?? r.error ?? null),
      costUsd: report.totalCostUsd,
      lmCalls: report.lmCalls,
      usage,
      latencyMs: report.latencyMs.mean,
      details: keepDetails ? { outputs: byPosition.map((r) => r.outputs), traces: byPosition.map((r) => r.trace) } : undefined,
    };
  }

  private blank(
    number: number,
    config: Config,
    evaluation: EvaluationKind,
    examples: readonly number[],
    startedAt: number,
    error: string,
    meta: Readonly<Record<string, JsonValue>> | undefined,
    state: "pruned" | "failed" = "pruned",
  ): TrialResult {
    return { number, config, state, evaluation, examples, costUsd: 0, lmCalls: 0, usage: EMPTY_USAGE, latencyMs: 0, startedAt, finishedAt: Date.now(), error, ...(meta ? { meta } : {}) };
  }
}

function fingerprintOf(options: StudyOptions, objectives: readonly Objective[]): string {
  const basis = {
    optimizer: options.optimizer,
    seed: options.seed,
    variables: options.space.variables.map((v) => [v.name, v.kind, v.fixed]),
    train: options.trainset.length,
    val: options.valset.length,
    data: jsonKey([options.trainset.slice(0, 3), options.valset.slice(0, 3)]),
    objectives: objectives.map((o) => `${o.name}:${o.direction}`),
  };
  return createHash("sha256").update(jsonKey(basis)).digest("hex").slice(0, 32);
}
