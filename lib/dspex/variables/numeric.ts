import { z } from "zod";
import { DspexError } from "../errors";
import type { Rng } from "../random";
import type { Condition, Domain, Target, Variable, VariablePatch } from "./types";

export interface NumericOptions {
  readonly low: number;
  readonly high: number;
  /** Sample and mutate in log space (low must be > 0). */
  readonly log?: boolean;
  /** Values are multiples of step from low. */
  readonly step?: number;
  readonly default?: number;
  readonly description?: string;
  readonly condition?: Condition;
  readonly fixed?: boolean;
  readonly target?: Target;
  /** The default stands in for a setting the program leaves unset (see Variable.unsetDefault). */
  readonly unsetDefault?: boolean;
}

function check(name: string, o: NumericOptions, integer: boolean): void {
  const bad = (why: string) => new DspexError("OPTION_INVALID", `variable "${name}": ${why}`);
  if (!Number.isFinite(o.low) || !Number.isFinite(o.high) || o.low > o.high) throw bad(`low (${o.low}) must be a number at most high (${o.high})`);
  if (o.log && o.low <= 0) throw bad(`a log scale needs low > 0 (got ${o.low})`);
  if (o.step !== undefined && !(o.step > 0)) throw bad(`step must be positive (got ${o.step})`);
  if (integer && (!Number.isInteger(o.low) || !Number.isInteger(o.high))) throw bad("an int variable needs whole-number bounds");
}

/** Float and int variables: uniform or log-uniform sampling, Gaussian mutation, blend crossover. */
export function numericVariable(name: string, kind: "float" | "int", options: NumericOptions): Variable<number> {
  const integer = kind === "int";
  check(name, options, integer);
  const { low, high } = options;
  const log = options.log ?? false;
  const step = options.step ?? (integer ? 1 : undefined);
  const toInternal = (x: number) => (log ? Math.log(x) : x);
  const fromInternal = (u: number) => (log ? Math.exp(u) : u);
  const lo = toInternal(low);
  const hi = toInternal(high);
  const snap = (x: number): number => {
    let v = Math.min(high, Math.max(low, x));
    if (step !== undefined) v = Math.min(high, low + Math.round((v - low) / step) * step);
    if (integer) v = Math.round(v);
    // Keep decimal steps free of float dust (0.30000000000000004).
    return step !== undefined && !integer ? Number(v.toFixed(12)) : v;
  };
  const fallback = snap(options.default ?? (log ? Math.sqrt(low * high) : (low + high) / 2));
  const domain: Domain = integer ? { type: "int", low, high, log, step: step ?? 1 } : { type: "float", low, high, log, ...(step !== undefined ? { step } : {}) };
  let schema: z.ZodType<number> = z
    .number({ message: "must be a number" })
    .min(low, { message: `must be at least ${low}` })
    .max(high, { message: `must be at most ${high}` });
  if (integer) schema = schema.refine((v) => Number.isInteger(v), { message: "must be a whole number" });
  if (step !== undefined) schema = schema.refine((v) => Math.abs(snap(v) - v) < 1e-9, { message: `must be ${low} plus a multiple of ${step}` });
  if (options.default !== undefined && !schema.safeParse(options.default).success) {
    throw new DspexError("OPTION_INVALID", `variable "${name}": default ${options.default} is outside [${low}, ${high}] or off its step`);
  }

  const make = (patch: VariablePatch<number>, base: NumericOptions): Variable<number> =>
    numericVariable(name, kind, {
      ...base,
      default: patch.default ?? base.default,
      fixed: patch.fixed ?? base.fixed,
      description: patch.description ?? base.description,
      condition: patch.condition === null ? undefined : (patch.condition ?? base.condition),
      unsetDefault: patch.default !== undefined && patch.default !== base.default ? false : base.unsetDefault,
    });

  return Object.freeze({
    name,
    kind,
    description: options.description,
    default: fallback,
    schema,
    domain,
    target: options.target ?? { kind: "free" as const },
    condition: options.condition,
    fixed: options.fixed ?? false,
    ...(options.unsetDefault ? { unsetDefault: true } : {}),
    sample: (rng: Rng) => snap(fromInternal(rng.uniform(lo, hi))),
    mutate(value: number, rng: Rng, strength: number) {
      const sd = Math.max(1e-12, (hi - lo) * 0.25 * Math.min(1, Math.max(0, strength)));
      let next = snap(fromInternal(toInternal(value) + rng.normal(0, sd)));
      // An int that did not move: step by one so mutation is never a no-op when it can move.
      if (next === value && high > low) next = snap(value + (rng.next() < 0.5 ? -1 : 1) * (step ?? (high - low) / 100));
      return next;
    },
    crossover(a: number, b: number, rng: Rng) {
      const w = rng.uniform(-0.25, 1.25); // BLX-0.25: a little beyond the parents
      return snap(fromInternal(toInternal(a) + w * (toInternal(b) - toInternal(a))));
    },
    with: (patch: VariablePatch<number>) => make(patch, options),
  });
}
