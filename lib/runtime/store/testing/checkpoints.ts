// Synthetic trials and checkpoints, for tests of the checkpoint store and trial queries.
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, EMPTY_USAGE, type Checkpoint, type TrialResult } from "../../../dspex";

/** A complete, fully evaluated trial; `patch` changes any field. */
export function trial(number: number, patch: Partial<TrialResult> = {}): TrialResult {
  return {
    number,
    config: { temperature: number / 10 },
    state: "complete",
    evaluation: "full",
    set: "val",
    examples: [0, 1],
    score: 0.5,
    values: [0.5],
    scores: [0, 1],
    costUsd: 0.001 * number,
    lmCalls: 2,
    usage: EMPTY_USAGE,
    latencyMs: 10 + number,
    startedAt: 1_700_000_000_000 + number * 1000,
    finishedAt: 1_700_000_000_500 + number * 1000,
    ...patch,
  };
}

/** A checkpoint holding these trials and journal entries (key -> reply text). */
export function checkpoint(trials: TrialResult[], journal: Record<string, string> = {}): Checkpoint {
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    optimizer: "test",
    seed: 1,
    fingerprint: "f",
    trials,
    journal: Object.fromEntries(Object.entries(journal).map(([k, text]) => [k, { text, finishReason: "stop", usage: EMPTY_USAGE, provider: "demo", model: "m", cacheHit: false, latencyMs: 1 }])),
    spend: { lmCalls: trials.reduce((s, t) => s + t.lmCalls, 0), usd: trials.reduce((s, t) => s + t.costUsd, 0), seconds: 1.5 },
    savedAt: "2026-01-01T00:00:00.000Z",
  };
}
