// Fitness order for the genetic sampler: one objective by loss; several by NSGA-II (non-domination
// rank, then crowding distance within the front, larger first). Ties go to the older trial.
import { crowdingDistance, nonDominationRanks } from "./pareto";
import { byLoss, type ScoredTrial } from "./scores";
import type { Rng } from "../random";

/** Each trial's place in the fitness order (0 = best), aligned with the input. */
export function fitnessPlaces(scored: readonly ScoredTrial[]): number[] {
  const n = scored.length;
  const index = scored.map((_, i) => i);
  let order: number[];
  if ((scored[0]?.loss.length ?? 1) <= 1) order = index.sort((a, b) => byLoss(scored[a]!, scored[b]!));
  else {
    const ranks = nonDominationRanks(scored.map((s) => s.loss));
    const crowd = new Array<number>(n).fill(0);
    const fronts: number[][] = [];
    ranks.forEach((r, i) => (fronts[r] ??= []).push(i));
    for (const front of fronts) {
      if (!front) continue;
      const d = crowdingDistance(front.map((i) => scored[i]!.loss));
      front.forEach((i, j) => (crowd[i] = d[j]!));
    }
    order = index.sort((a, b) => ranks[a]! - ranks[b]! || crowd[b]! - crowd[a]! || scored[a]!.trial.number - scored[b]!.trial.number);
  }
  const places = new Array<number>(n);
  order.forEach((i, place) => (places[i] = place));
  return places;
}

/** The best of `size` distinct entrants drawn from the pool (indices into places). */
export function tournament(pool: readonly number[], places: readonly number[], size: number, rng: Rng): number {
  const entrants = rng.sample(pool, Math.max(1, Math.min(size, pool.length)));
  let best = entrants[0]!;
  for (const i of entrants) if (places[i]! < places[best]!) best = i;
  return best;
}
