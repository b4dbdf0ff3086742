// A job about to be enqueued: its kind known, its payload and options checked before anything is written.
import type { z } from "zod";
import { EnqueueJobOptionsSchema, type EnqueueJobOptions } from "../../schemas/jobs";
import { InvalidInputError, type NewJobRow } from "../store";
import { DEFAULT_MAX_ATTEMPTS, parsePayload, type JobRegistry } from "./define-job";

/** The enqueue options, or InvalidInputError naming each field as options.<name>. */
function parseOptions<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    what,
    parsed.error.issues.map((i) => ({ field: ["options", ...i.path.map(String)].join("."), message: i.message })),
  );
}

export interface NewJob extends NewJobRow {
  readonly retryDelayMs: number;
}

/** Validates kind, payload and options before anything is written (InvalidInputError naming each field). */
export function prepareJob(registry: JobRegistry, kind: string, payload: unknown, options: EnqueueJobOptions | undefined, queueRetryDelayMs: number): NewJob {
  const definition = registry.require(kind);
  const parsedPayload = parsePayload(definition, payload);
  const o = parseOptions(EnqueueJobOptionsSchema, options, `job "${kind}" options`);
  return {
    kind,
    payload: parsedPayload,
    priority: o.priority,
    delayMs: o.delayMs,
    maxAttempts: o.maxAttempts ?? definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryDelayMs: definition.retryDelayMs ?? queueRetryDelayMs,
  };
}

