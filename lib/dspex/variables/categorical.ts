import { type z } from "zod";
import { DspexError } from "../errors";
import type { Rng } from "../random";
import { indexOfValue, jsonEqual, JsonValueSchema } from "./json-value";
import type { Condition, JsonValue, Target, Variable, VariableKind, VariablePatch } from "./types";

export interface CategoricalOptions<V extends JsonValue> {
  readonly choices: readonly V[];
  readonly default?: V;
  readonly description?: string;
  readonly condition?: Condition;
  readonly fixed?: boolean;
  readonly target?: Target;
  /** Text and demo sets: any value of the right shape is allowed, not only a listed choice. */
  readonly open?: z.ZodType<V>;
  /** Custom mutation/crossover (demo sets use their own). */
  readonly mutate?: (value: V, rng: Rng, strength: number, choices: readonly V[]) => V;
  readonly crossover?: (a: V, b: V, rng: Rng) => V;
  /** Demo sets: the most demos a value may hold. */
  readonly maxItems?: number;
  /** The default stands in for a setting the program leaves unset (see Variable.unsetDefault). */
  readonly unsetDefault?: boolean;
}

/**
 * A variable over a list of choices: choice, boolean, module, and (with `open`) text and demo
 * sets, whose choices are the candidates optimizers have proposed so far.
 */
export function categoricalVariable<V extends JsonValue>(name: string, kind: VariableKind, options: CategoricalOptions<V>): Variable<V> {
  const choices = dedupe(options.choices);
  if (choices.length === 0) throw new DspexError("OPTION_INVALID", `variable "${name}": give at least one choice`);
  const fallback = options.default ?? choices[0]!;
  const listed = (v: unknown) => indexOfValue(choices, v) !== -1;
  const schema: z.ZodType<V> = options.open
    ? options.open
    : (JsonValueSchema.refine(listed, { message: `must be one of ${choices.map((c) => JSON.stringify(c)).join(", ")}` }) as unknown as z.ZodType<V>);
  if (!schema.safeParse(fallback).success) {
    throw new DspexError("OPTION_INVALID", `variable "${name}": default ${JSON.stringify(fallback)} is not one of its choices`);
  }
  const all = listed(fallback) ? choices : [fallback, ...choices];

  return Object.freeze({
    name,
    kind,
    description: options.description,
    default: fallback,
    schema,
    domain: { type: "categorical" as const, choices: all },
    target: options.target ?? { kind: "free" as const },
    condition: options.condition,
    fixed: options.fixed ?? false,
    ...(options.maxItems !== undefined ? { maxItems: options.maxItems } : {}),
    ...(options.unsetDefault ? { unsetDefault: true } : {}),
    sample: (rng: Rng) => rng.pick(all),
    mutate(value: V, rng: Rng, strength: number) {
      if (options.mutate) return options.mutate(value, rng, strength, all);
      if (all.length < 2 || rng.next() > Math.max(strength, 0.05)) return value;
      const others = all.filter((c) => !jsonEqual(c, value));
      return others.length ? rng.pick(others) : value;
    },
    crossover: (a: V, b: V, rng: Rng) => (options.crossover ? options.crossover(a, b, rng) : rng.next() < 0.5 ? a : b),
    with(patch: VariablePatch<V>) {
      return categoricalVariable(name, kind, {
        ...options,
        choices: patch.candidates ? [...all, ...patch.candidates] : all,
        default: patch.default ?? fallback,
        fixed: patch.fixed ?? options.fixed,
        description: patch.description ?? options.description,
        condition: patch.condition === null ? undefined : (patch.condition ?? options.condition),
        unsetDefault: patch.default !== undefined && !jsonEqual(patch.default, fallback) ? false : options.unsetDefault,
      });
    },
  });
}

function dedupe<V extends JsonValue>(values: readonly V[]): V[] {
  const out: V[] = [];
  for (const v of values) if (indexOfValue(out, v) === -1) out.push(v);
  return out;
}
