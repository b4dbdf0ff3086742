// A seeded pseudo-random generator (xoshiro128**), so every optimizer run is reproducible from
// its seed. `fork(label)` derives an independent stream, so adding a draw in one place does not
// shift the draws everywhere else.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [low, high] (inclusive). */
  int(low: number, high: number): number;
  /** Uniform in [low, high). */
  uniform(low: number, high: number): number;
  /** Standard normal (Box-Muller). */
  normal(mean?: number, sd?: number): number;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number;
  shuffle<T>(items: readonly T[]): T[];
  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** An independent stream derived from this one's seed and a label. */
  fork(label: string | number): Rng;
  /** The seed this stream was built from. */
  readonly seed: number;
}

function hashString(text: string, seed = 0x9e3779b9): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x85ebca6b);
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return (h ^ (h >>> 16)) >>> 0;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  if ((a | b | c | d) === 0) a = 1;
  let spare: number | undefined;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = () => nextU32() / 4294967296;

  const rng: Rng = {
    seed,
    next,
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
    uniform: (low, high) => low + next() * (high - low),
    normal(mean = 0, sd = 1) {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return mean + sd * s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return mean + sd * r * Math.cos(2 * Math.PI * v);
    },
    pick(items) {
      if (items.length === 0) throw new RangeError("pick from an empty list");
      return items[Math.floor(next() * items.length)]!;
    },
    weightedIndex(weights) {
      const total = weights.reduce((s, w) => s + Math.max(0, w), 0);
      if (!(total > 0)) return Math.floor(next() * weights.length);
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= Math.max(0, weights[i]!);
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    shuffle(items) {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    sample(items, k) {
      return rng.shuffle(items).slice(0, Math.max(0, Math.min(k, items.length)));
    },
    fork(label) {
      // Label and seed are hashed apart and then mixed, so (seed, label) pairs do not collide.
      return createRng(mix32(hashString(String(label)) ^ mix32(seed ^ 0x5bd1e995)));
    },
  };
  return rng;
}

/** The murmur3 finalizer: every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
