import { z } from "zod";
import type { Rng } from "../random";
import { jsonKey, JsonValueSchema } from "./json-value";
import type { JsonValue } from "./types";

export type DemoValue = { readonly [key: string]: JsonValue };
export type DemoSet = readonly DemoValue[];

export const DemoSetSchema = (max: number) =>
  z
    .array(z.record(z.string(), JsonValueSchema), { message: "must be a list of demos (objects of field values)" })
    .max(max, { message: `must hold at most ${max} demos` }) as unknown as z.ZodType<DemoSet>;

/** Mutation of a demo set: drop one, add one from the pool, or swap one for a pool demo. */
export function mutateDemoSet(value: DemoSet, rng: Rng, strength: number, pool: DemoSet, max: number, candidates: readonly DemoSet[]): DemoSet {
  if (pool.length === 0) return candidates.length > 1 && rng.next() < strength ? rng.pick(candidates) : value;
  const inSet = new Set(value.map(jsonKey));
  const outside = pool.filter((d) => !inSet.has(jsonKey(d)));
  const r = rng.next();
  if ((r < 0.33 || value.length >= max) && value.length > 0) {
    const next = [...value];
    if (outside.length && r >= 0.2) next[rng.int(0, next.length - 1)] = rng.pick(outside);
    else next.splice(rng.int(0, next.length - 1), 1);
    return next;
  }
  return outside.length ? [...value, rng.pick(outside)] : value;
}

/** Crossover of two demo sets: a random mix of their demos, at most max. */
export function crossDemoSets(a: DemoSet, b: DemoSet, rng: Rng, max: number): DemoSet {
  const seen = new Set<string>();
  const union: DemoValue[] = [];
  for (const d of [...a, ...b]) {
    const k = jsonKey(d);
    if (!seen.has(k)) {
      seen.add(k);
      union.push(d);
    }
  }
  const size = Math.min(max, Math.round((a.length + b.length) / 2));
  return rng.sample(union, size);
}
