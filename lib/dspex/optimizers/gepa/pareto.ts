import type { Rng } from "../../random";
import type { Objective } from "../../samplers/types";

/**
 * GEPA's fronts: for each key (a validation example, or an objective) the candidates that reach
 * the best value on it. A candidate best on even one example stays a possible parent.
 */
export type Fronts = ReadonlyMap<string, ReadonlySet<number>>;

/** Per validation example, the candidates with the highest score on it (ties all kept). */
export function instanceFronts(valScores: readonly (readonly number[])[]): Map<string, Set<number>> {
  const fronts = new Map<string, Set<number>>();
  const best = new Map<number, number>();
  valScores.forEach((scores, candidate) => {
    scores.forEach((score, example) => {
      const key = `example:${example}`;
      const top = best.get(example) ?? Number.NEGATIVE_INFINITY;
      if (score > top) {
        best.set(example, score);
        fronts.set(key, new Set([candidate]));
      } else if (score === top) fronts.get(key)!.add(candidate);
    });
  });
  return fronts;
}

/** Per objective, the candidates with the best aggregate value (largest or smallest by direction). */
export function objectiveFronts(values: readonly (readonly number[] | undefined)[], objectives: readonly Objective[]): Map<string, Set<number>> {
  const fronts = new Map<string, Set<number>>();
  objectives.forEach((o, k) => {
    let top = Number.NEGATIVE_INFINITY;
    let set = new Set<number>();
    values.forEach((v, candidate) => {
      const raw = v?.[k];
      if (raw === undefined || !Number.isFinite(raw)) return;
      const x = o.direction === "maximize" ? raw : -raw;
      if (x > top) {
        top = x;
        set = new Set([candidate]);
      } else if (x === top) set.add(candidate);
    });
    if (set.size) fronts.set(`objective:${o.name}`, set);
  });
  return fronts;
}

/**
 * Drops dominated candidates from the fronts: a candidate is dominated when every front it is
 * on also holds another candidate still standing. Candidates are tried from the lowest
 * aggregate score up, one removal at a time, so among equals the better-scoring one stays.
 */
export function removeDominated(fronts: Fronts, aggregates: readonly number[]): Map<string, Set<number>> {
  const present = [...new Set([...fronts.values()].flatMap((s) => [...s]))].sort((a, b) => (aggregates[a] ?? 0) - (aggregates[b] ?? 0) || a - b);
  const dominated = new Set<number>();
  const isDominated = (y: number) => {
    for (const front of fronts.values()) {
      if (!front.has(y)) continue;
      if (![...front].some((p) => p !== y && !dominated.has(p))) return false;
    }
    return true;
  };
  let removed = true;
  while (removed) {
    removed = false;
    for (const y of present) {
      if (!dominated.has(y) && isDominated(y)) {
        dominated.add(y);
        removed = true;
        break;
      }
    }
  }
  return new Map([...fronts].map(([key, front]) => [key, new Set([...front].filter((p) => !dominated.has(p)))]));
}

/** The non-dominated candidates with the number of fronts each is on (its weight as a parent), by id. */
export function parentWeights(fronts: Fronts, aggregates: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const front of removeDominated(fronts, aggregates).values()) for (const p of front) counts.set(p, (counts.get(p) ?? 0) + 1);
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}

/** A parent drawn from the non-dominated candidates, with probability proportional to its weight. */
export function selectParent(rng: Rng, fronts: Fronts, aggregates: readonly number[]): number {
  const weights = parentWeights(fronts, aggregates);
  if (weights.size === 0) return aggregates.reduce((best, s, i) => (s > aggregates[best]! ? i : best), 0);
  const ids = [...weights.keys()];
  return ids[rng.weightedIndex(ids.map((id) => weights.get(id)!))]!;
}
