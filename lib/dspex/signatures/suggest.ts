/** Edit distance (insertions, deletions, substitutions, adjacent swaps), capped for speed. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] ?? 0) + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n] ?? Math.max(m, n);
}

/**
 * The single closest candidate within a small distance (about one typo per four letters), or
 * undefined when there is none or two are equally close.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  let tie = false;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  return best !== undefined && bestDistance <= limit && !tie ? best : undefined;
}

/**
 * The known name an unknown one most likely meant: the closest by edit distance, else the one
 * that contains it or that it contains ("calls" -> "lmCalls"), when only one does.
 */
export function nearestName(word: string, known: readonly string[]): string | undefined {
  const close = closest(word, known);
  if (close) return close;
  const w = word.toLowerCase();
  const containing = known.filter((k) => k.toLowerCase().includes(w) || w.includes(k.toLowerCase()));
  return containing.length === 1 ? containing[0] : undefined;
}

/** `unknown key "calls"; did you mean "lmCalls"? (keys: lmCalls, usd, seconds)` */
export function unknownKeyMessage(what: string, key: string, known: readonly string[]): string {
  const guess = nearestName(key, known);
  return `unknown ${what} "${key}"${guess ? `; did you mean "${guess}"?` : ""} (${what}s: ${known.join(", ")})`;
}
