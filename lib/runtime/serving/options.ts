// Options of the serving API: zod-parsed data with documented defaults.
import { z } from "zod";
import { DspexError } from "../../dspex";

const ms = (what: string) => z.number({ message: `must be a number of milliseconds (${what})` }).int("must be a whole number of milliseconds").min(0, "must be 0 or more");

export const ServingOptionsSchema = z.strictObject({
  /** Largest request body of a single prediction and of the management routes, in bytes (default 1 MiB). */
  maxBodyBytes: z.number().int().min(64).default(1024 * 1024),
  /** Largest request body of a batch prediction, in bytes (default 8 MiB). */
  maxBatchBodyBytes: z.number().int().min(64).default(8 * 1024 * 1024),
  /** Deepest nesting of arrays and objects in a JSON body, checked before it is parsed (default 64). */
  maxJsonDepth: z.number().int().min(2).max(10_000).default(64),
  /** Longest value of one program input field, in characters (default 262 144); longer: 413 naming the field. */
  maxInputFieldChars: z.number().int().min(1).default(256 * 1024),
  /** Longest input of one prediction, all its fields together, in characters (default 1 048 576). */
  maxInputChars: z.number().int().min(1).default(1024 * 1024),
  /** Only people (maintainers, administrators) may promote or roll back a program; API keys get 403 (default false). */
  protectProduction: z.boolean().default(false),
  /** Time limit of one run (each batch item has its own); past it the run is aborted and answered 504 (default 60 s). */
  runTimeoutMs: ms("the time limit of one run").min(1, "must be at least 1 ms").default(60_000),
  /** Batch items running at once (default 8). */
  batchConcurrency: z.number().int().min(1).max(100).default(8),
  /**
   * How long a verified API key is trusted without asking the database again (0: ask on every
   * request). Default 5 s, or 60 s with a change feed, which drops a revoked key in every process
   * at once (the limit only covers a lost message). forgetApiKey drops one in this process.
   */
  authCacheTtlMs: ms("how long a verified key is trusted").optional(),
  /**
   * How long a program's active version is trusted without asking the database again (0: ask on
   * every request). Default 1 s, or 60 s with a change feed, which carries every promotion and
   * rollback to every process at once. invalidateProgram drops one in this process.
   */
  programCacheTtlMs: ms("how long a program's active version is trusted").optional(),
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
