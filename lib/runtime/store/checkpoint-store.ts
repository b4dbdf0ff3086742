// The framework's CheckpointStore on the database: every trial is a Trial row (its exact
// TrialResult in `result`), the optimizer's own LM replies are OptimizationJournal rows, and the
// rest (fingerprint, seed, spend) is Optimization.checkpoint. Saves are incremental: a save
// writes only trials that are new or changed since the last save and journal entries not yet
// written, in one transaction, so the checkpoint on disk is always whole.
import { jsonKey, type CHECKPOINT_FORMAT, type CHECKPOINT_VERSION, type Checkpoint, type CheckpointStore, type TrialResult } from "../../dspex";
import { Prisma, type PrismaClient } from "../../db";
import { NotFoundError } from "./errors";
import { toJson, toNullableJson } from "./json";

/** What Optimization.checkpoint holds: the checkpoint without its trials and journal. */
export interface CheckpointHead {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  readonly optimizer: string;
  readonly seed: number;
  readonly fingerprint: string;
  readonly spend: Checkpoint["spend"];
  readonly savedAt: string;
}

export interface DbCheckpointStore extends CheckpointStore {
  /** Rows written by this store object so far (for tests and logs). */
  readonly writes: { readonly saves: number; readonly trials: number; readonly journal: number; readonly deletedTrials: number };
}

/**
 * A CheckpointStore for one optimization. `load` returns the stored checkpoint (undefined when
 * none); `save` may be called concurrently: saves are applied in call order.
 * Errors: NOT_FOUND (no such optimization), on load or save.
 */
export function dbCheckpointStore(prisma: PrismaClient, optimizationId: string): DbCheckpointStore {
  /** Trial number -> jsonKey of the result stored; journal keys stored. Only what is committed. */
  const storedTrials = new Map<number, string>();
  const storedJournal = new Set<string>();
  const writes = { saves: 0, trials: 0, journal: 0, deletedTrials: 0 };
  let chain: Promise<unknown> = Promise.resolve();

  const requireOptimization = async () => {
    const row = await prisma.optimization.findUnique({ where: { id: optimizationId }, select: { checkpoint: true } });
    if (!row) throw new NotFoundError("optimization", optimizationId, "optimizationId");
    return row;
  };

  async function load(): Promise<Checkpoint | undefined> {
    const row = await requireOptimization();
    if (row.checkpoint === null) return undefined;
    const [trials, journal] = await prisma.$transaction([
      prisma.trial.findMany({ where: { optimizationId, result: { not: Prisma.DbNull } }, orderBy: { number: "asc" }, select: { number: true, result: true } }),
      prisma.optimizationJournal.findMany({ where: { optimizationId }, orderBy: { createdAt: "asc" }, select: { key: true, response: true } }),
    ]);
    storedTrials.clear();
    storedJournal.clear();
    for (const t of trials) storedTrials.set(t.number, jsonKey(t.result));
    for (const j of journal) storedJournal.add(j.key);
    const head = row.checkpoint as unknown as CheckpointHead;
    return {
      ...head,
      trials: trials.map((t) => t.result as unknown as TrialResult),
      journal: Object.fromEntries(journal.map((j) => [j.key, j.response])) as unknown as Checkpoint["journal"],
    };
  }

  async function write(checkpoint: Checkpoint): Promise<void> {
    const changed: TrialResult[] = [];
    const keys = new Map<number, string>();
    for (const trial of checkpoint.trials) {
      const key = jsonKey(trial);
      keys.set(trial.number, key);
      if (storedTrials.get(trial.number) !== key) changed.push(trial);
    }
    const stale = [...storedTrials.keys()].filter((n) => !keys.has(n));
    const newJournal = Object.entries(checkpoint.journal).filter(([key]) => !storedJournal.has(key));
    const head: CheckpointHead = {
      format: checkpoint.format,
      version: checkpoint.version,
      optimizer: checkpoint.optimizer,
      seed: checkpoint.seed,
      fingerprint: checkpoint.fingerprint,
      spend: checkpoint.spend,
      savedAt: checkpoint.savedAt,
    };
    const best = bestFullScore(checkpoint.trials);
    const baseline = checkpoint.trials.find((t) => t.meta?.role === "baseline" && t.state === "complete");

    // The optimization row first: a missing optimization fails the save before any trial is written.
    const ops: Prisma.PrismaPromise<unknown>[] = [
      prisma.optimization.update({
        where: { id: optimizationId },
        data: {
          checkpoint: toJson(head),
          spentUsd: checkpoint.spend.usd.toFixed(9),
          lmCalls: checkpoint.spend.lmCalls,
          spentSeconds: checkpoint.spend.seconds,
          trialCount: checkpoint.trials.length,
          bestScore: best ?? null,
          baselineScore: finite(baseline?.score) ?? null,
        },
      }),
    ];
    for (const t of changed) {
      const data = trialRow(t);
      ops.push(prisma.trial.upsert({ where: { optimizationId_number: { optimizationId, number: t.number } }, create: { optimizationId, number: t.number, ...data }, update: data }));
    }
    if (stale.length) ops.push(prisma.trial.deleteMany({ where: { optimizationId, number: { in: stale } } }));
    if (newJournal.length) {
      ops.push(prisma.optimizationJournal.createMany({ data: newJournal.map(([key, response]) => ({ optimizationId, key, response: toJson(response) })), skipDuplicates: true }));
    }
    try {
      await prisma.$transaction(ops);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && (err.code === "P2025" || err.code === "P2003")) throw new NotFoundError("optimization", optimizationId, "optimizationId");
      throw err;
    }
    for (const t of changed) storedTrials.set(t.number, keys.get(t.number)!);
    for (const n of stale) storedTrials.delete(n);
    for (const [key] of newJournal) storedJournal.add(key);
    writes.saves++;
    writes.trials += changed.length;
    writes.journal += newJournal.length;
    writes.deletedTrials += stale.length;
  }

  return {
    writes,
    load: () => {
      const run = chain.then(load);
      chain = run.catch(() => undefined);
      return run;
    },
    save: (checkpoint) => {
      const run = chain.then(() => write(checkpoint));
      chain = run.catch(() => undefined);
      return run;
    },
  };
}

function finite(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

function bestFullScore(trials: readonly TrialResult[]): number | undefined {
  let best: number | undefined;
  for (const t of trials) {
    const s = finite(t.score);
    if (t.state === "complete" && t.evaluation === "full" && s !== undefined && (best === undefined || s > best)) best = s;
  }
  return best;
}

/** The columns of a trial, for lists and sorting; `result` keeps the trial exactly. */
function trialRow(t: TrialResult) {
  return {
    config: toJson(t.config),
    status: t.state,
    score: finite(t.score) ?? null,
    scores: toNullableJson(t.scores),
    values: toNullableJson(t.values),
    evaluation: t.evaluation,
    set: t.set ?? "val",
    examples: t.examples.length,
    costUsd: t.costUsd.toFixed(9),
    lmCalls: t.lmCalls,
    latencyMs: Number.isFinite(t.latencyMs) ? Math.round(t.latencyMs) : null,
    meta: toNullableJson(t.meta),
    error: t.error ?? null,
    result: toJson(t),
    createdAt: new Date(t.startedAt),
    finishedAt: new Date(t.finishedAt),
  } satisfies Omit<Prisma.TrialUncheckedCreateInput, "optimizationId" | "number">;
}
