// Job kinds as data: a kind, a zod schema for its payload, the function that runs it, and its
// retry and timeout policy. Definitions are checked when declared; payloads on every enqueue.
import { z } from "zod";
import type { Logger } from "../../log";
import { InvalidInputError } from "../store";
import { JobConfigError } from "./errors";

/** What a running job gets besides its payload. */
export interface JobRunContext {
  readonly jobId: string;
  /** Aborts when the job is cancelled, times out, or its worker shuts down (see JobAbortedError). */
  readonly signal: AbortSignal;
  /** 1 for the first attempt; every start counts, including one whose worker died. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** The worker running it: `host:pid:instance`. */
  readonly workerId: string;
  /** Stores a JSON progress value on the Job row (best effort: a failed write is logged, not thrown). */
  progress(value: unknown): Promise<void>;
  /** The queue's logger, bound to this job (jobId, kind, attempt). */
  readonly log: Logger;
}

export interface JobCancelledInfo {
  readonly jobId: string;
  /** True when an attempt was running (its signal aborts too); false when it had not started or its worker is gone. */
  readonly wasRunning: boolean;
}

export interface JobFailedInfo {
  readonly jobId: string;
  readonly error: string;
  readonly attempts: number;
}

export interface JobDefinition<P = unknown> {
  /** Unique per queue, e.g. "optimization". Letters, digits and `:._-`. */
  readonly kind: string;
  /** Validates the payload on enqueue (issues name `payload.<field>`) and again before each run. */
  readonly payload: z.ZodType<P>;
  /** Runs one attempt. Resolving completes the job (the value is stored as its JSON result); throwing fails the attempt. */
  run(payload: P, ctx: JobRunContext): unknown;
  /** Attempts before the job fails for good (default 3; an enqueue may override). */
  readonly maxAttempts?: number;
  /** An attempt running longer is aborted and counts as failed (default: no limit). */
  readonly timeoutMs?: number;
  /** Delay before the first retry, doubling on each further one (default: the queue's retryDelayMs). */
  readonly retryDelayMs?: number;
  /** Optional hook, run once when the job is cancelled (by the process that cancels it, or that finds its worker gone). */
  cancelled?(payload: P, info: JobCancelledInfo): unknown;
  /** Optional hook, run once when the job fails for good (last attempt failed, a PermanentJobError, or its worker died once too often). */
  failed?(payload: P, info: JobFailedInfo): unknown;
}

export const DEFAULT_MAX_ATTEMPTS = 3;

const fn = (hint: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { error: `must be a function ${hint}` });

const DefinitionSchema = z.strictObject({
  kind: z
    .string({ error: 'must be a string such as "optimization"' })
    .min(1, "must not be empty")
    .max(64, "must be at most 64 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9:._-]*$/, "must use only letters, digits and : . _ - (and start with a letter or digit)"),
  payload: z.custom<z.ZodType>((v) => v instanceof z.ZodType, { error: "must be a zod schema, e.g. z.object({ id: z.string() })" }),
  run: fn("(payload, ctx) => result"),
  maxAttempts: z.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").optional(),
  timeoutMs: z.number().positive("must be above 0 (milliseconds)").optional(),
  retryDelayMs: z.number().nonnegative("must be 0 or more (milliseconds)").optional(),
  cancelled: fn("(payload, { jobId, wasRunning }) => void").optional(),
  failed: fn("(payload, { jobId, error, attempts }) => void").optional(),
});

/** Declares a job kind; throws JobConfigError DEFINITION_INVALID naming each field at fault. */
export function defineJob<P>(definition: JobDefinition<P>): JobDefinition<P> {
  const parsed = DefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    const kind = typeof definition?.kind === "string" ? ` "${definition.kind}"` : "";
    throw new JobConfigError(
      "DEFINITION_INVALID",
      `defineJob${kind}`,
      parsed.error.issues.map((i) => ({ field: i.path.map(String).join(".") || "definition", message: i.message })),
    );
  }
  return Object.freeze({ ...definition });
}

/** The kinds a queue runs, by kind. */
export interface JobRegistry {
  readonly kinds: readonly string[];
  get(kind: string): JobDefinition | undefined;
  /** The definition of `kind`, or InvalidInputError (field "kind") listing the known kinds. */
  require(kind: string): JobDefinition;
}

export function createJobRegistry(definitions: readonly JobDefinition<unknown>[]): JobRegistry {
  const byKind = new Map<string, JobDefinition>();
  const issues: { field: string; message: string }[] = [];
  definitions.forEach((d, i) => {
    if (byKind.has(d.kind)) issues.push({ field: `jobs[${i}].kind`, message: `"${d.kind}" is defined twice; kinds must be unique` });
    byKind.set(d.kind, d);
  });
  if (issues.length) throw new JobConfigError("DUPLICATE_KIND", "job queue", issues);
  const kinds = Object.freeze([...byKind.keys()]);
  return {
    kinds,
    get: (kind) => byKind.get(kind),
    require(kind) {
      const d = byKind.get(kind);
      if (d) return d;
      const known = kinds.length ? kinds.map((k) => `"${k}"`).join(", ") : "none";
      throw new InvalidInputError("job", [{ field: "kind", message: `unknown job kind ${JSON.stringify(kind)}; this queue runs: ${known}` }]);
    },
  };
}

/** The payload parsed by the kind's schema, or InvalidInputError with one issue per field (`payload.<path>`). */
export function parsePayload<P>(definition: JobDefinition<P>, payload: unknown): P {
  const parsed = definition.payload.safeParse(payload);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    `job "${definition.kind}" payload`,
    parsed.error.issues.map((i) => ({ field: ["payload", ...i.path.map(String)].join("."), message: i.message })),
  );
}
