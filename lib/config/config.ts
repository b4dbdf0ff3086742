import path from "node:path";
import { decodeSecretKey, EnvSchema, type Env } from "./schema";

export type LogLevel = Env["LOG_LEVEL"];

export interface DatabaseConfig {
  /** A PostgreSQL connection string; absent means the embedded PGlite database. */
  url?: string;
  /** Absolute path of the data directory (PGlite files and other local state). */
  dataDir: string;
}

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  database: DatabaseConfig;
  redisUrl?: string;
  /** Every Redis key of this deployment (jobs, agent clusters) starts with it (default "dspex"). */
  redisPrefix: string;
  lm: { baseUrl?: string; apiKey?: string; model?: string };
  /** Limits on calls to the provider: per minute (shared through Redis when REDIS_URL is set), in flight, per attempt. */
  /** `maxWaitMs`: longest a call waits for rate-limit capacity before it is refused (429 with Retry-After). */
  lmLimits: { requestsPerMinute?: number; tokensPerMinute?: number; concurrency?: number; timeoutMs: number; maxWaitMs: number };
  logLevel: LogLevel;
  shutdownTimeoutMs: number;
  /** The demo model's simulated latency per call. */
  demoLatencyMs: { min: number; max: number };
  /** Requests per minute per API key unless the key sets its own. */
  apiRateLimitPerMinute: number;
  jobConcurrency: number;
  /** The most memory one sandboxed run may have; a larger memoryBytes is clamped to it. */
  sandbox: { maxMemoryBytes: number };
  retentionDays: number;
  programsDir: string;
  /** Request limits of the HTTP API: body bytes, JSON depth, program input sizes (413/400 naming the field). */
  limits: { maxBodyBytes: number; maxJsonDepth: number; maxInputFieldChars: number; maxInputChars: number; protectProduction: boolean };
  /** Event-loop lag (ms) above which new requests are refused with 503 and Retry-After; 0: never. */
  maxEventLoopLagMs: number;
  /** Reload a program when its file changes (DSPEX_WATCH_PROGRAMS, default true). */
  watchPrograms?: boolean;
  /** DSPEX_SECRET_KEY (32 bytes) for secrets at rest; absent: <dataDir>/secret.key, made on first use. */
  secretKey?: Buffer;
}

/** A configuration problem; its message is one line naming the variable and what was wrong. */
export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(
    message: string,
    readonly variables: string[],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

type EnvSource = Record<string, string | undefined>;

function describe(env: EnvSource, key: string): string {
  const raw = env[key];
  // A secret is never echoed into a log line.
  if (key === "DSPEX_SECRET_KEY") return "";
  return raw === undefined ? "" : ` (got ${JSON.stringify(raw.length > 60 ? raw.slice(0, 57) + "..." : raw)})`;
}

/** Parses the environment; throws ConfigError with a one-line message on any bad value. */
export function loadConfig(env: EnvSource = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const keys = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "environment")))];
    const parts = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? "environment");
      return `${key} ${i.message}${describe(env, key)}`;
    });
    throw new ConfigError(`Invalid configuration: ${parts.join("; ")}`, keys);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: { url: e.DATABASE_URL, dataDir: path.resolve(cwd, e.DSPEX_DATA_DIR) },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.DSPEX_REDIS_PREFIX,
    lm: { baseUrl: e.DSPEX_LM_BASE_URL, apiKey: e.DSPEX_LM_API_KEY, model: e.DSPEX_LM_MODEL },
    lmLimits: { requestsPerMinute: e.DSPEX_LM_RPM, tokensPerMinute: e.DSPEX_LM_TPM, concurrency: e.DSPEX_LM_CONCURRENCY, timeoutMs: e.DSPEX_LM_TIMEOUT_MS, maxWaitMs: e.DSPEX_LM_MAX_WAIT_MS },
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.DSPEX_SHUTDOWN_TIMEOUT_MS,
    demoLatencyMs: parseRange(e.DSPEX_DEMO_LATENCY_MS),
    apiRateLimitPerMinute: e.DSPEX_API_RATE_LIMIT,
    jobConcurrency: e.DSPEX_JOB_CONCURRENCY,
    sandbox: { maxMemoryBytes: e.DSPEX_SANDBOX_MAX_MEMORY_MB * 1024 * 1024 },
    retentionDays: e.DSPEX_RETENTION_DAYS,
    programsDir: path.resolve(cwd, e.DSPEX_PROGRAMS_DIR),
    limits: { maxBodyBytes: e.DSPEX_MAX_BODY_BYTES, maxJsonDepth: e.DSPEX_MAX_JSON_DEPTH, maxInputFieldChars: e.DSPEX_MAX_INPUT_FIELD_CHARS, maxInputChars: e.DSPEX_MAX_INPUT_CHARS, protectProduction: e.DSPEX_PROTECT_PRODUCTION === "true" || e.DSPEX_PROTECT_PRODUCTION === "1" },
    maxEventLoopLagMs: e.DSPEX_MAX_EVENT_LOOP_LAG_MS,
    watchPrograms: e.DSPEX_WATCH_PROGRAMS === "true" || e.DSPEX_WATCH_PROGRAMS === "1",
    ...(e.DSPEX_SECRET_KEY !== undefined && { secretKey: decodeSecretKey(e.DSPEX_SECRET_KEY) }),
  };
}

function parseRange(text: string): { min: number; max: number } {
  const [a, b] = text.split("-").map(Number);
  const min = a ?? 0;
  return { min, max: Math.max(min, b ?? min) };
}
