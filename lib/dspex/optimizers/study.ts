import { createHash } from "node:crypto";
import type { RunContext } from "../context";
import { DspexError } from "../errors";
import type { Example, Metric } from "../evaluate/types";
import { composeLM, createPriceTable, withCache, withCostMeter, type CacheStore, type PriceTable } from "../lm";
import { EMPTY_USAGE, type LM, type LMResponse, type LMSettings } from "../lm/types";
import type { Module } from "../modules/module";
import { createRng, type Rng } from "../random";
import { QUALITY, type Objective, type Sampler, type TrialRecord } from "../samplers/types";
import { jsonKey, programSteps, type Config, type JsonValue, type VariableSpace } from "../variables";
import { BudgetTracker, type CallObserver } from "./budget";
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, parseCheckpoint, type Checkpoint, type CheckpointStore } from "./checkpoint";
import { paretoTrials } from "./pareto-trials";
import { ScoreTable, type ExampleScore } from "./score-table";
import { runExamples, trialContext } from "./trial-run";
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
  /**
   * Score only the validation examples this configuration has no score for yet, and report the
   * others from earlier trials (default true for plain validation evaluations; never with
   * details, a rollout id or forced settings).
   */
  readonly reuse?: boolean;
  /** This is the evaluation that validates the final candidate: it may use the calls set aside for that. */
  readonly finalist?: boolean;
}

export interface EvaluateOutcome {
  readonly result: TrialResult;
  readonly details?: TrialDetails;
  /** Set when the budget could not pay for the evaluation: nothing ran and no trial was recorded. */
  readonly refused?: string;
}

let defaultPrices: PriceTable | undefined;

/** Trials that stopped because the run was aborted run again on resume; budget-cut ones are kept. */
const abortedTrial = (t: TrialResult) => t.state === "pruned" && (t.error ?? "").includes("aborted");

/**
 * The trial protocol every optimizer uses: evaluate configurations (numbered in call order),
 * ask samplers, keep the budget, checkpoint after each trial, and on resume answer finished
 * trials from the checkpoint instead of running them again.
 *
 * Budget discipline: an evaluation reserves the calls it needs before it starts and is refused
 * (nothing runs, nothing is recorded) when the budget cannot pay for it, counting the calls set
 * aside to validate the final candidate; validation scores are kept per configuration and
 * example, so a later evaluation of the same configuration scores only what is missing.
 */
export class Study {
  readonly rng: Rng;
  readonly objectives: readonly Objective[];
  readonly promptLM: LM;
  private readonly tracker: BudgetTracker;
  private readonly results: TrialResult[] = [];
  private readonly recorded: Map<number, TrialResult>;
  private readonly journal: Map<string, LMResponse>;
  private readonly unreplayedJournal: Set<string>;
  private readonly running = new Map<number, Config>();
  private readonly pricedLM: LM;
  private readonly journalStore: CacheStore;
  private readonly table = new ScoreTable();
  private readonly promptCalls = { lmCalls: 0, usd: 0 };
  private readonly steps: number;
  private replayFloor: Spend | undefined;
  private nextNumber = 0;
  private stopped: StopReason | undefined;
  private bestScore = Number.NEGATIVE_INFINITY;
  private readonly fingerprint: string;
  private refusedCount = 0;
  private ranExamples = 0;
  private ranCalls = 0;

  private constructor(
    private readonly options: StudyOptions,
    checkpoint: Checkpoint | undefined,
  ) {
    this.rng = createRng(options.seed);
    this.objectives = options.objectives ?? [QUALITY];
    if (this.objectives[0]?.name !== "quality") throw new DspexError("OPTION_INVALID", "objectives: the first objective must be quality");
    this.fingerprint = fingerprintOf(options, this.objectives);
    this.steps = Math.max(1, programSteps(options.program).length);
    this.recorded = new Map((checkpoint?.trials ?? []).filter((t) => !abortedTrial(t)).map((t) => [t.number, t]));
    this.journal = new Map(Object.entries(checkpoint?.journal ?? {}));
    this.unreplayedJournal = new Set(this.journal.keys());
    // A resumed run counts its spend again as it replays (trials and journaled calls at the
    // points where the first run made them), so every budget decision comes out the same; at the
    // first new call it catches up with the checkpoint's spend.
    this.replayFloor = checkpoint?.spend;
    this.tracker = new BudgetTracker(options.budget ?? {}, options.now);
    const prices = options.prices ?? (defaultPrices ??= createPriceTable());
    const store: CacheStore = {
      get: async (key) => {
        const hit = this.journal.get(key);
        if (hit && this.unreplayedJournal.delete(key)) this.tracker.record({ ...hit, cacheHit: false });
        return hit;
      },
      set: async (key, response) => {
        this.journal.set(key, response);
      },
    };
    this.pricedLM = composeLM(options.lm, withCostMeter({ prices }));
    const promptObserver: CallObserver = {
      made: (r) => {
        this.promptCalls.lmCalls++;
        this.promptCalls.usd += r.costUsd ?? 0;
      },
    };
    const pricedPrompt = composeLM(options.promptLM ?? options.lm, withCostMeter({ prices }));
    this.promptLM = composeLM(pricedPrompt, this.tracker.middleware({ observer: promptObserver }), this.liveGate(), withCache({ maxEntries: 10_000, store }));
    this.journalStore = store;
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

  get budget(): Budget {
    return this.options.budget ?? {};
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

  /** Calls and money spent by the prompt model (proposals, summaries, reflections). */
  get promptSpend(): { readonly lmCalls: number; readonly usd: number } {
    return { ...this.promptCalls };
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

  /** LM calls one example costs, as measured so far (the number of program steps before any run). */
  callsPerExample(): number {
    return this.ranExamples > 0 ? Math.max(this.ranCalls / this.ranExamples, 0.5) : this.steps;
  }

  /** Calls the budget can still grant to new work (Infinity without a budget). */
  headroom(options: { finalist?: boolean } = {}): number {
    return this.tracker.headroom(options);
  }

  /** Whether the budget can pay for scoring `examples` more examples now. */
  affords(examples: number, options: { finalist?: boolean } = {}): boolean {
    return !this.shouldStop() && Math.ceil(examples * this.callsPerExample()) <= this.headroom(options);
  }

  /** How many examples the budget can pay for now. */
  affordableExamples(options: { finalist?: boolean } = {}): number {
    const room = this.headroom(options);
    return Number.isFinite(room) ? Math.floor(room / this.callsPerExample()) : Number.MAX_SAFE_INTEGER;
  }

  /** Sets aside the calls to validate the final candidate on `examples` validation examples. */
  setFinalReserve(examples: number): void {
    this.tracker.setFinalReserve(Math.ceil(examples * this.callsPerExample()));
  }

  /** Calls set aside to validate the final candidate. */
  get finalReserve(): number {
    return this.tracker.finalReserveCalls;
  }

  /** The price of a typical call before one is made (from the estimate). */
  guessUsdPerCall(usd: number | undefined): void {
    this.tracker.guessUsdPerCall(usd);
  }

  /** The LM for running the program outside trials (e.g. a teacher's traces); journaled for resume. */
  get programLM(): LM {
    return composeLM(this.pricedLM, this.tracker.middleware(), this.liveGate(), withCache({ maxEntries: 10_000, store: this.journalStore }));
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
    return sampler.ask({
      space: options.space ?? this.space,
      trials: [...finished, ...running].sort((a, b) => a.number - b.number),
      objectives: this.objectives,
      rng: this.rng.fork(`ask-${trialNumber}`),
      trialNumber,
    });
  }

  /** The validation scores a configuration has earned so far, by example. */
  scoresOf(config: Config): ReadonlyMap<number, ExampleScore> {
    return this.table.of(this.space.complete(config));
  }

  /** The configuration's mean over the whole validation set, once every example is scored. */
  fullScore(config: Config): number | undefined {
    const scores = this.scoresOf(config);
    if (scores.size < this.valset.length || this.valset.length === 0) return undefined;
    let sum = 0;
    for (const s of scores.values()) sum += s.score;
    return sum / scores.size;
  }

  /** The mean cost of one prediction of a configuration on the validation examples it was scored on; undefined when none was priced. */
  costPerExample(config: Config): number | undefined {
    const scores = [...this.scoresOf(config).values()];
    if (scores.length === 0) return undefined;
    const total = scores.reduce((s, x) => s + x.costUsd, 0);
    return total > 0 ? total / scores.length : undefined;
  }

  /**
   * Evaluates a configuration on some or all examples of a set, as the next numbered trial. A
   * trial finished before a crash is answered from the checkpoint. The evaluation reserves the
   * calls it needs first and is refused (`refused` set, nothing recorded) when the budget cannot
   * pay for them; an evaluation cut short anyway (a step retried more than expected) keeps the
   * examples that finished, as a pruned trial with their scores.
   */
  async evaluate(config: Config, options: EvaluateOptions = {}): Promise<EvaluateOutcome> {
    const set = options.set ?? "val";
    const data = set === "val" ? this.valset : this.trainset;
    const indices = options.examples ? [...options.examples] : data.map((_, i) => i);
    const evaluation: EvaluationKind = set === "val" && new Set(indices).size === data.length ? "full" : "minibatch";
    const full = this.space.complete(config);
    const sampled = options.rolloutId !== undefined || options.overrideSettings !== undefined;
    const reuse = set === "val" && !sampled && !options.details && (options.reuse ?? true);
    const known = reuse ? this.table.of(full) : new Map<number, ExampleScore>();
    const toRun = indices.filter((i) => !known.has(i));
    const number = this.nextNumber;

    const replay = this.recorded.get(number);
    if (replay) {
      if (jsonKey(replay.config) !== jsonKey(full)) {
        throw new DspexError("CHECKPOINT_INVALID", `Checkpoint: the resumed run proposed another configuration at trial ${number} than the run it resumes; resume with the same seed and setup`);
      }
      this.nextNumber++;
      // Per-example details are not checkpointed; rebuilding them replays journaled LM calls (counted then).
      const details = options.details ? (await this.runOn(full, indices, data, true, options)).details : undefined;
      if (!options.details) this.tracker.addReplayed(replay.lmCalls, replay.costUsd);
      this.learnRate(replay);
      this.accept(replay, true, !sampled);
      return { result: replay, details };
    }
    this.endReplay();

    const startedAt = Date.now();
    if (this.shouldStop()) return this.refuse(number, full, evaluation, indices, set, `not run: ${this.stopped}`, options.meta);
    const need = Math.ceil(toRun.length * this.callsPerExample());
    const reservation = toRun.length > 0 ? this.tracker.reserve(need, { finalist: options.finalist }) : undefined;
    if (toRun.length > 0 && !reservation) {
      return this.refuse(number, full, evaluation, indices, set, `not run: the budget cannot pay for ${toRun.length} example(s) (about ${need} calls; ${Math.floor(this.headroom({ finalist: options.finalist }))} available)`, options.meta);
    }
    this.nextNumber++;
    this.running.set(number, full);
    this.emit({ type: "trial:start", trial: number, config: full, evaluation, examples: indices.length });
    const made = { lmCalls: 0, usd: 0 };
    const observer: CallObserver = {
      made: (r) => {
        made.lmCalls++;
        made.usd += r.costUsd ?? 0;
      },
    };
    let result: TrialResult;
    let details: TrialDetails | undefined;
    try {
      const run = toRun.length > 0 ? await this.runOn(full, toRun, data, options.details ?? false, options, observer, reservation) : undefined;
      details = run?.details;
      const at = new Map(toRun.map((example, i) => [example, i]));
      const kept = indices.filter((example) => known.has(example) || run!.finished[at.get(example)!]);
      const cut = kept.length < indices.length;
      const scoreOf = (example: number) => (known.has(example) ? known.get(example)!.score : run!.scores[at.get(example)!]!);
      const feedbackOf = (example: number) => (known.has(example) ? known.get(example)!.feedback : run!.feedback[at.get(example)!]!);
      const scores = kept.map(scoreOf);
      const mean = scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : 0;
      const reused = indices.filter((e) => known.has(e));
      const reusedCost = reused.reduce((s, e) => s + known.get(e)!.costUsd, 0);
      const perExampleCost = kept.length ? (made.usd + reusedCost) / kept.length : 0;
      const latencyMs = run?.latencyMs ?? (reused.length ? reused.reduce((s, e) => s + known.get(e)!.latencyMs, 0) / reused.length : 0);
      const meta = { ...(options.meta ?? {}), ...(options.finalist ? { finalist: true } : {}), ...(reused.length ? { reusedExamples: reused } : {}) };
      result = {
        number,
        config: full,
        state: cut ? "pruned" : "complete",
        evaluation,
        set,
        examples: kept,
        score: mean,
        values: this.objectives.map((o) => (o.name === "quality" ? mean : o.name === "cost" ? perExampleCost : o.name === "latency" ? latencyMs : Number.NaN)),
        scores,
        feedback: kept.map(feedbackOf),
        ...(cut ? { error: `stopped: budget (${indices.length - kept.length} of ${indices.length} examples not finished; the ${kept.length} finished are kept)` } : {}),
        costUsd: made.usd,
        lmCalls: made.lmCalls,
        usage: run?.usage ?? EMPTY_USAGE,
        latencyMs,
        startedAt,
        finishedAt: Date.now(),
        ...(Object.keys(meta).length ? { meta } : {}),
      };
      if (cut && this.options.signal?.aborted) result = { ...result, error: "stopped: aborted" };
    } catch (err) {
      result = { ...this.blank(number, full, evaluation, indices, startedAt, err instanceof Error ? err.message : String(err), options.meta, "failed"), set, lmCalls: made.lmCalls, costUsd: made.usd };
    } finally {
      reservation?.release();
      this.running.delete(number);
    }
    this.learnRate(result);
    this.accept(result, false, !sampled);
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

  /** Blocks live calls until a resumed run has caught up with its checkpoint's spend. */
  private liveGate() {
    return (inner: LM): LM => ({
      ...inner,
      provider: inner.provider,
      complete: (request, callOptions) => {
        this.endReplay();
        return inner.complete(request, callOptions);
      },
      ...(inner.stream ? { stream: (request, callOptions) => (this.endReplay(), inner.stream!(request, callOptions)) } : {}),
    });
  }

  /** The first new work of a resumed run: its spend becomes at least the checkpoint's. */
  private endReplay(): void {
    if (!this.replayFloor) return;
    this.tracker.catchUp(this.replayFloor);
    this.replayFloor = undefined;
  }

  /** Evaluations the budget refused so far, and planned work left out because the budget could not pay for it. */
  get refusals(): number {
    return this.refusedCount;
  }

  /** An optimizer left planned work out because the budget could not pay for it (the run then stops for "budget"). */
  budgetLimited(why: string): void {
    this.refusedCount++;
    this.log(why);
  }

  private refuse(number: number, config: Config, evaluation: EvaluationKind, examples: number[], set: "val" | "train", why: string, meta?: Readonly<Record<string, JsonValue>>): EvaluateOutcome {
    if (!why.includes("aborted")) this.refusedCount++;
    return { result: { ...this.blank(number, config, evaluation, examples, Date.now(), why, meta), set }, refused: why };
  }

  private learnRate(result: TrialResult): void {
    const reused = Array.isArray(result.meta?.reusedExamples) ? result.meta.reusedExamples.length : 0;
    const ran = result.examples.length - reused;
    if (ran > 0 && result.lmCalls > 0) {
      this.ranExamples += ran;
      this.ranCalls += result.lmCalls;
    }
  }

  private accept(result: TrialResult, replayed: boolean, tabled: boolean): void {
    this.results.push(result);
    if (tabled && result.set !== "train" && result.scores) this.table.add(result);
    this.emit({ type: "trial:complete", trial: result, replayed });
    if (result.state === "complete" && result.evaluation === "full" && result.score! > this.bestScore) {
      this.bestScore = result.score!;
      this.emit({ type: "best", trial: result.number, score: result.score!, config: result.config });
    }
    this.emit({ type: "progress", spend: this.tracker.spend(), trials: this.results.length });
  }

  private async runOn(
    config: Config,
    indices: readonly number[],
    data: readonly Example[],
    keepDetails: boolean,
    options: EvaluateOptions,
    observer?: CallObserver,
    reservation?: ReturnType<BudgetTracker["reserve"]>,
  ) {
    const metered = composeLM(this.pricedLM, this.tracker.middleware({ reservation, observer }), this.liveGate());
    const lm = keepDetails ? composeLM(metered, withCache({ maxEntries: 10_000, store: this.journalStore })) : metered;
    return runExamples({
      program: this.space.apply(this.program, config),
      examples: indices.map((i) => data[i]!),
      metric: this.options.metric,
      context: trialContext(this.contextFor(lm), lm, options),
      concurrency: this.options.concurrency ?? 8,
      keepDetails,
    });
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
