import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { DspexError } from "../errors";
import type { LMResponse } from "../lm/types";
import type { Spend, TrialResult } from "./types";

export const CHECKPOINT_FORMAT = "dspex.optimization-checkpoint";
export const CHECKPOINT_VERSION = 1;

/**
 * What a run needs to resume without repeating work: every finished trial, the optimizer's own
 * LM replies (proposals, reflections, bootstrapped traces), and the spend so far.
 */
export interface Checkpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: typeof CHECKPOINT_VERSION;
  readonly optimizer: string;
  readonly seed: number;
  /** Identifies the run's setup; a checkpoint from another setup is refused. */
  readonly fingerprint: string;
  readonly trials: readonly TrialResult[];
  readonly journal: Readonly<Record<string, LMResponse>>;
  readonly spend: Spend;
  readonly savedAt: string;
}

const CheckpointSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.literal(CHECKPOINT_VERSION),
  optimizer: z.string(),
  seed: z.number().int(),
  fingerprint: z.string(),
  trials: z.array(z.object({ number: z.number().int().nonnegative(), config: z.record(z.string(), z.unknown()), state: z.string() }).loose()),
  journal: z.record(z.string(), z.object({ text: z.string() }).loose()),
  spend: z.object({ lmCalls: z.number(), usd: z.number(), seconds: z.number() }),
  savedAt: z.string(),
});

/** Where checkpoints live: memory, a JSON file, or (in the runtime) the database. */
export interface CheckpointStore {
  load(): Promise<unknown>;
  save(checkpoint: Checkpoint): Promise<void>;
}

export function parseCheckpoint(raw: unknown): Checkpoint {
  const parsed = CheckpointSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new DspexError("CHECKPOINT_INVALID", `Checkpoint: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data as unknown as Checkpoint;
}

export function memoryCheckpointStore(initial?: Checkpoint): CheckpointStore & { readonly current: Checkpoint | undefined; saves: number } {
  let current = initial;
  const store = {
    saves: 0,
    get current() {
      return current;
    },
    load: async () => current,
    save: async (cp: Checkpoint) => {
      current = structuredClone(cp);
      store.saves++;
    },
  };
  return store;
}

/** A JSON file, replaced atomically on every save (write then rename). */
export function fileCheckpointStore(file: string): CheckpointStore {
  return {
    async load() {
      try {
        return JSON.parse(await readFile(file, "utf8")) as unknown;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw new DspexError("CHECKPOINT_INVALID", `Checkpoint ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    async save(checkpoint) {
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(checkpoint));
      await rename(tmp, file);
    },
  };
}
