// Options of the serving API: zod-parsed data with documented defaults.
import { z } from "zod";
import { DspexError } from "../../dspex";

const ms = (what: string) => z.number({ message: `must be a number of milliseconds (${what})` }).int("must be a whole number of milliseconds").min(0, "must be 0 or more");

export const ServingOptionsSchema = z.strictObject({
  /** Largest request body of a single prediction and of the management routes, in bytes (default 1 MiB). */
  maxBodyBytes: z.number().int().min(64).default(1024 * 1024),
  /** Largest request body of a batch prediction, in bytes (default 8 MiB). */
  maxBatchBodyBytes: z.number().int().min(64).default(8 * 1024 * 1024),
  /** Time limit of one run (each batch item has its own); past it the run is aborted and answered 504 (default 60 s). */
  runTimeoutMs: ms("the time limit of one run").min(1, "must be at least 1 ms").default(60_000),
  /** Batch items running at once (default 8). */
  batchConcurrency: z.number().int().min(1).max(100).default(8),
  /**
   * How long a verified API key is trusted without asking the database again (default 5 s; 0: ask
   * on every request). A revoked key stops working within this time (at once through forgetApiKey).
   */
  authCacheTtlMs: ms("how long a verified key is trusted").default(5_000),
  /**
   * How long a program's active version is trusted without asking the database again (default 1 s;
   * 0: ask on every request). A promote takes effect within this time (at once through invalidateProgram).
   */
  programCacheTtlMs: ms("how long a program's active version is trusted").default(1_000),
  /** Keys kept in the verified-key cache (default 10 000). */
  authCacheSize: z.number().int().min(1).default(10_000),
});
export type ServingOptionsInput = z.input<typeof ServingOptionsSchema>;
export type ServingOptions = z.output<typeof ServingOptionsSchema>;

export function parseServingOptions(input: ServingOptionsInput = {}): ServingOptions {
  const parsed = ServingOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join(".") || (issue.code === "unrecognized_keys" ? issue.keys.join(", ") : "options");
  throw new DspexError("OPTION_INVALID", `createServingApi: option "${field}" ${issue.message}; e.g. { maxBodyBytes: 1048576, runTimeoutMs: 60000 }`);
}
