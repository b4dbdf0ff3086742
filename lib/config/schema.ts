import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

const url = (protocols: readonly string[], example: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((v) => URL.canParse(v), { message: `must be a URL such as ${example}` })
      .refine((v) => !URL.canParse(v) || protocols.includes(new URL(v).protocol), {
        message: `must start with ${protocols.map((p) => `${p}//`).join(" or ")} (for example ${example})`,
      })
      .optional(),
  );

/** A 32-byte key written as 64 hex digits or base64 / base64url (DSPEX_SECRET_KEY); undefined when it is neither. */
export function decodeSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) return undefined;
  const key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  return key.length === 32 ? key : undefined;
}

const optionalPositiveInt = (what: string) =>
  z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number" }).positive({ message: `must be a positive whole number of ${what}` }).optional());

/** Every setting DSPEx reads from the environment, with its default. Documented in the README. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("production"),
  PORT: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ message: "must be a number" })
      .int({ message: "must be a whole number" })
      .min(1, { message: "must be between 1 and 65535" })
      .max(65535, { message: "must be between 1 and 65535" })
      .default(3000),
  ),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default("127.0.0.1")),
  DSPEX_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default("./data")),
  DATABASE_URL: url(["postgres:", "postgresql:"], "postgres://user@127.0.0.1:5432/dspex"),
  REDIS_URL: url(["redis:", "rediss:"], "redis://127.0.0.1:6379"),
  DSPEX_LM_BASE_URL: url(["http:", "https:"], "https://api.openai.com/v1"),
  DSPEX_LM_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  DSPEX_LM_MODEL: z.preprocess(emptyAsUndefined, z.string().optional()),
  DSPEX_SECRET_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().refine((v) => decodeSecretKey(v) !== undefined, { message: "must be 32 bytes written as base64 or 64 hex digits (make one with: openssl rand -base64 32)" }).optional(),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  ),
  DSPEX_LM_RPM: optionalPositiveInt("requests per minute"),
  DSPEX_LM_TPM: optionalPositiveInt("tokens per minute"),
  DSPEX_LM_CONCURRENCY: optionalPositiveInt("calls in flight"),
  DSPEX_LM_MAX_WAIT_MS: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number" }).min(1, { message: "must be at least 1 ms" }).max(600_000).default(10_000)),
  DSPEX_LM_TIMEOUT_MS: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number" }).min(1_000, { message: "must be at least 1000 ms" }).max(3_600_000).default(300_000)),
  DSPEX_DEMO_LATENCY_MS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+(-\d+)?$/, { message: 'must be milliseconds, or a range such as "200-800"' })
      .default("200-800"),
  ),
  DSPEX_API_RATE_LIMIT: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int().positive({ message: "must be a positive whole number of requests per minute" }).default(600)),
  DSPEX_JOB_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int().min(1).max(64).default(2)),
  DSPEX_REDIS_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, { message: "must be 1-64 letters, digits, ':', '_' or '-'" }).default("dspex")),
  DSPEX_SANDBOX_MAX_MEMORY_MB: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number of MiB" }).min(1).max(2048).default(256)),
  DSPEX_RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int().min(1).max(3650).default(30)),
  DSPEX_PROGRAMS_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default("./programs")),
  DSPEX_MAX_BODY_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number of bytes" }).min(1024).max(1024 ** 3).default(1024 * 1024)),
  DSPEX_MAX_INPUT_FIELD_CHARS: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number of characters" }).min(1).default(256 * 1024)),
  DSPEX_MAX_INPUT_CHARS: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int({ message: "must be a whole number of characters" }).min(1).default(1024 * 1024)),
  DSPEX_MAX_JSON_DEPTH: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int().min(2).max(10_000).default(64)),
  DSPEX_MAX_EVENT_LOOP_LAG_MS: z.preprocess(emptyAsUndefined, z.coerce.number({ message: "must be a number" }).int().min(0, { message: "must be 0 (off) or more" }).default(1000)),
  DSPEX_WATCH_PROGRAMS: z.preprocess(emptyAsUndefined, z.enum(["true", "false", "1", "0"], { message: 'must be "true" or "false"' }).default("true")),
  DSPEX_PROTECT_PRODUCTION: z.preprocess(emptyAsUndefined, z.enum(["true", "false", "1", "0"], { message: "must be true or false" }).default("false")),
  DSPEX_SHUTDOWN_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ message: "must be a number" }).int().min(100).max(600_000).default(4000),
  ),
});

export type Env = z.infer<typeof EnvSchema>;
