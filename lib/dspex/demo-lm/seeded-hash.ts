// Deterministic pseudo-randomness: every "random" choice the demo model makes is a hash of its
// inputs, so the same seed and request always give the same reply. No Math.random anywhere.

/** A 52-bit hash of a string, from two 32-bit multiply-xorshift lanes. */
export function hashString(text: string): number {
  let a = 0x9e3779b9;
  let b = 0x85ebca6b;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0xcc9e2d51);
    a = (a << 15) | (a >>> 17);
    b = Math.imul(b ^ c, 0x1b873593);
    b = (b << 13) | (b >>> 19);
  }
  a ^= text.length;
  b ^= a;
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  a ^= a >>> 16;
  b = Math.imul(b ^ (b >>> 16), 0x7feb352d);
  b = Math.imul(b ^ (b >>> 15), 0x846ca68b);
  b ^= b >>> 16;
  return (b >>> 0) * 0x100000 + ((a >>> 0) & 0xfffff);
}

/** A number in [0, 1) determined by the parts (joined with a separator no part is likely to hold). */
export function unitHash(...parts: readonly (string | number | undefined)[]): number {
  const key = parts.map((p) => (p === undefined ? "\u0000" : String(p))).join("\u241f");
  return hashString(key) / 2 ** 52;
}

/** A small deterministic generator for a sequence of choices derived from one key. */
export interface Draws {
  /** The next number in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

export function drawsFrom(...parts: readonly (string | number | undefined)[]): Draws {
  let counter = 0;
  const next = () => unitHash(...parts, "draw", counter++);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError("pick from an empty list");
      return item;
    },
  };
}
