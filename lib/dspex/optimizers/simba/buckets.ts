/** One sampled run of the program on one example. */
export interface ScoredRun {
  /** The example (an index into the training set). */
  readonly example: number;
  readonly score: number;
}

/** Every sampled run of one example, best first, with the statistics SIMBA sorts by. */
export interface Bucket<R extends ScoredRun> {
  readonly example: number;
  /** The runs, highest score first (ties keep their sampling order). */
  readonly runs: readonly R[];
  readonly max: number;
  readonly min: number;
  readonly mean: number;
  /** max - min: how much the outcome depends on the sample. */
  readonly gap: number;
  /** max - mean: how far the typical run is from the best one. */
  readonly maxToMean: number;
}

/** Groups runs by example, in the order of `examples` (examples without runs are left out). */
export function groupByExample<R extends ScoredRun>(runs: readonly R[], examples: readonly number[]): Bucket<R>[] {
  const out: Bucket<R>[] = [];
  for (const example of examples) {
    const mine = runs.filter((r) => r.example === example);
    if (mine.length === 0) continue;
    const sorted = stableSortDescending(mine, (r) => [r.score]);
    const max = sorted[0]!.score;
    const min = sorted[sorted.length - 1]!.score;
    const mean = mine.reduce((s, r) => s + r.score, 0) / mine.length;
    out.push({ example, runs: sorted, max, min, mean, gap: max - min, maxToMean: max - mean });
  }
  return out;
}

/**
 * The buckets most worth learning from first: largest spread (max - min), then highest max,
 * then largest max - mean. Equal buckets keep their order.
 */
export function sortBuckets<R extends ScoredRun>(buckets: readonly Bucket<R>[]): Bucket<R>[] {
  return stableSortDescending(buckets, (b) => [b.gap, b.max, b.maxToMean]);
}

/** The p-th percentile (0-100) with linear interpolation between the closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function stableSortDescending<T>(items: readonly T[], key: (item: T) => readonly number[]): T[] {
  return items
    .map((item, index) => ({ item, index, k: key(item) }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return b.k[i]! - a.k[i]!;
      return a.index - b.index;
    })
    .map((e) => e.item);
}
