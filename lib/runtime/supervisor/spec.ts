// Supervision as data: flags and child specs are zod-parsed with documented defaults, and
// anything invalid is refused before a single child starts.
import { z } from "zod";
import { SupervisorConfigError, type ConfigIssue } from "./errors";
import type { ChildContext, ChildHandle, StartFn } from "./types";

const SUPERVISOR_START = Symbol.for("dspex.supervisor.start");

/** Marks a start function as starting a supervisor, so its spec defaults to type "supervisor". */
export function markSupervisorStart(start: StartFn): StartFn {
  return Object.assign(start, { [SUPERVISOR_START]: true });
}

function startsSupervisor(start: unknown): boolean {
  return typeof start === "function" && (start as unknown as Record<symbol, unknown>)[SUPERVISOR_START] === true;
}

const shutdownMs = z.custom<number>((v) => typeof v === "number" && v >= 0, {
  error: "must be a number of milliseconds >= 0, or Infinity",
});

export const ChildSpecSchema = z.strictObject({
  /** Unique among the supervisor's children; no "/" (it separates paths). */
  id: z.string().min(1, "must be a non-empty string").regex(/^[^/]*$/, 'must not contain "/" (it separates supervisor paths)'),
  start: z.custom<(ctx: ChildContext) => Promise<ChildHandle>>((v) => typeof v === "function", {
    error: "must be a function returning Promise<ChildHandle>, e.g. task(async (signal) => …)",
  }),
  /** permanent: always restarted; transient: only after an error; temporary: never. Default "permanent". */
  restart: z.enum(["permanent", "transient", "temporary"]).default("permanent"),
  /** How long stop() may take before the child is abandoned. Default 5000, Infinity for supervisors. */
  shutdownMs: shutdownMs.optional(),
  /** Default "supervisor" when `start` comes from supervisor(), else "worker". */
  type: z.enum(["worker", "supervisor"]).optional(),
});

/** A child spec as written by callers: only `id` and `start` are required. */
export type ChildSpecInput = z.input<typeof ChildSpecSchema>;

/** A child spec with every default applied. */
export interface ChildSpec {
  readonly id: string;
  readonly start: StartFn;
  readonly restart: "permanent" | "transient" | "temporary";
  readonly shutdownMs: number;
  readonly type: "worker" | "supervisor";
}

export const DEFAULT_SHUTDOWN_MS = 5000;

export const BackoffSchema = z
  .strictObject({
    /** Delay before the first restart. Default 100 ms. */
    initialMs: z.number().nonnegative().default(100),
    /** Upper bound of any delay. Default 10 000 ms. */
    maxMs: z.number().nonnegative().default(10_000),
    /** Growth per restart of the same child within the period. Default 2. */
    factor: z.number().min(1).default(2),
    /** Random spread, as a fraction of the delay (0.2 = ±20%). Default 0. */
    jitter: z.number().min(0).max(1).default(0),
  })
  .refine((b) => b.initialMs <= b.maxMs, { error: "initialMs must not exceed maxMs", path: ["initialMs"] });

export const SupervisorFlagsSchema = z.strictObject({
  /** Default "one_for_one". */
  strategy: z.enum(["one_for_one", "one_for_all", "rest_for_one"]).default("one_for_one"),
  /** Most restarts allowed within `periodMs`; one more and the supervisor gives up. Default 3. */
  intensity: z.number().int().nonnegative().default(3),
  /** The sliding window for `intensity`. Default 5000 ms. */
  periodMs: z.number().positive().default(5000),
  /** Optional delay before each restart; without it restarts are immediate. */
  backoff: BackoffSchema.optional(),
});

export type SupervisorFlagsInput = z.input<typeof SupervisorFlagsSchema>;
export type SupervisorFlags = z.output<typeof SupervisorFlagsSchema>;
export type Backoff = z.output<typeof BackoffSchema>;

function issuesOf(error: z.ZodError, prefix: string, input: unknown): ConfigIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
    const received = valueAt(input, issue.path);
    const shown = issue.code === "unrecognized_keys" || received === undefined ? "" : ` (received ${show(received)})`;
    return { path: path || prefix, message: `${issue.message}${shown}` };
  });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "number") return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function parseFlags(supervisor: string, input: unknown = {}): SupervisorFlags {
  const parsed = SupervisorFlagsSchema.safeParse(input);
  if (!parsed.success) throw new SupervisorConfigError("FLAGS_INVALID", supervisor, issuesOf(parsed.error, "flags", input));
  return parsed.data;
}

/** Parses one spec; `where` names it in messages (e.g. `children[2]` or `startChild`). */
export function parseChildSpec(supervisor: string, input: unknown, where: string): ChildSpec {
  const parsed = ChildSpecSchema.safeParse(input);
  const id = (input as { id?: unknown } | null)?.id;
  const label = typeof id === "string" && id.length > 0 ? `${where} "${id}"` : where;
  if (!parsed.success) throw new SupervisorConfigError("SPEC_INVALID", supervisor, issuesOf(parsed.error, label, input));
  const spec = parsed.data;
  const isSupervisor = startsSupervisor(spec.start);
  if (isSupervisor && spec.type === "worker") {
    throw new SupervisorConfigError("SPEC_INVALID", supervisor, [
      { path: `${label}.type`, message: 'is "worker" but start comes from supervisor(); drop type or set type: "supervisor"' },
    ]);
  }
  const type = spec.type ?? (isSupervisor ? "supervisor" : "worker");
  return {
    id: spec.id,
    start: spec.start,
    restart: spec.restart,
    type,
    shutdownMs: spec.shutdownMs ?? (type === "supervisor" ? Number.POSITIVE_INFINITY : DEFAULT_SHUTDOWN_MS),
  };
}

/** Parses a list of specs and refuses duplicate ids (with every issue at once). */
export function parseChildSpecs(supervisor: string, inputs: readonly unknown[]): ChildSpec[] {
  if (!Array.isArray(inputs)) {
    throw new SupervisorConfigError("SPEC_INVALID", supervisor, [{ path: "children", message: `must be an array of child specs (received ${show(inputs)})` }]);
  }
  const specs = inputs.map((input, i) => parseChildSpec(supervisor, input, `children[${i}]`));
  const seen = new Map<string, number>();
  const issues: ConfigIssue[] = [];
  specs.forEach((spec, i) => {
    const first = seen.get(spec.id);
    if (first === undefined) seen.set(spec.id, i);
    else issues.push({ path: `children[${i}].id`, message: `"${spec.id}" is already used by children[${first}]; child ids must be unique` });
  });
  if (issues.length) throw new SupervisorConfigError("DUPLICATE_CHILD_ID", supervisor, issues);
  return specs;
}
