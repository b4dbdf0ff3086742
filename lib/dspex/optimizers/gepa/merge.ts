import type { Rng } from "../../random";

/** What merging needs to know of the candidates: their component texts, parents and aggregate scores. */
export interface Lineage {
  readonly texts: readonly Readonly<Record<string, string>>[];
  readonly parents: readonly (readonly number[])[];
  readonly aggregates: readonly number[];
}

/** Merges already tried: (i, j, ancestor) triplets and (i, j, which parent gave each component). */
export interface MergeLog {
  readonly triplets: Set<string>;
  readonly descriptions: Set<string>;
}

export interface MergeProposal {
  readonly first: number;
  readonly second: number;
  readonly ancestor: number;
  /** The merged candidate's component texts. */
  readonly texts: Record<string, string>;
  /** For each component (in order), the candidate its text came from. */
  readonly sources: readonly number[];
}

export function emptyMergeLog(): MergeLog {
  return { triplets: new Set(), descriptions: new Set() };
}

/** Every ancestor of a candidate (parents, their parents, ...). */
export function ancestorsOf(parents: readonly (readonly number[])[], node: number): Set<number> {
  const found = new Set<number>();
  const stack = [...(parents[node] ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    if (found.has(p)) continue;
    found.add(p);
    stack.push(...(parents[p] ?? []));
  }
  return found;
}

/** True when some component is unchanged from the ancestor in one descendant and changed in the other. */
export function changedDifferentComponents(lineage: Lineage, ancestor: number, i: number, j: number): boolean {
  const a = lineage.texts[ancestor]!;
  const x = lineage.texts[i]!;
  const y = lineage.texts[j]!;
  return Object.keys(a).some((c) => (a[c] === x[c] || a[c] === y[c]) && x[c] !== y[c]);
}

const tripletKey = (i: number, j: number, a: number) => `${i},${j},${a}`;

/**
 * Two non-dominated candidates (neither an ancestor of the other) and a common ancestor that
 * scores no better than either and from which they changed different components. Up to
 * `attempts` random pairs; the ancestor is drawn weighted by its aggregate score.
 */
export function findMergeTriplet(rng: Rng, lineage: Lineage, candidates: readonly number[], log: MergeLog, attempts = 10): { i: number; j: number; ancestor: number } | undefined {
  if (candidates.length < 2) return undefined;
  for (let t = 0; t < attempts; t++) {
    let [i, j] = rng.sample(candidates, 2) as [number, number];
    if (j < i) [i, j] = [j, i];
    const ai = ancestorsOf(lineage.parents, i);
    const aj = ancestorsOf(lineage.parents, j);
    if (ai.has(j) || aj.has(i)) continue;
    const common = [...ai]
      .filter((a) => aj.has(a))
      .sort((a, b) => a - b)
      .filter((a) => !log.triplets.has(tripletKey(i, j, a)))
      .filter((a) => lineage.aggregates[a]! <= lineage.aggregates[i]! && lineage.aggregates[a]! <= lineage.aggregates[j]!)
      .filter((a) => changedDifferentComponents(lineage, a, i, j));
    if (common.length === 0) continue;
    const ancestor = common[rng.weightedIndex(common.map((a) => lineage.aggregates[a]!))]!;
    return { i, j, ancestor };
  }
  return undefined;
}

/**
 * The merged texts: a component changed in only one descendant takes that one's text; changed
 * in both (differently), the text of the descendant with the higher aggregate (a coin flip on
 * a tie); the same in both, that text.
 */
export function mergeTexts(rng: Rng, lineage: Lineage, i: number, j: number, ancestor: number): { texts: Record<string, string>; sources: number[] } {
  const a = lineage.texts[ancestor]!;
  const x = lineage.texts[i]!;
  const y = lineage.texts[j]!;
  const texts: Record<string, string> = { ...a };
  const sources: number[] = [];
  for (const c of Object.keys(a)) {
    let from: number;
    if ((a[c] === x[c] || a[c] === y[c]) && x[c] !== y[c]) from = a[c] === x[c] ? j : i;
    else if (a[c] !== x[c] && a[c] !== y[c]) {
      const si = lineage.aggregates[i]!;
      const sj = lineage.aggregates[j]!;
      from = si > sj ? i : sj > si ? j : rng.pick([i, j]);
    } else from = i;
    texts[c] = lineage.texts[from]![c]!;
    sources.push(from);
  }
  return { texts, sources };
}

/** A merge not tried before, or undefined. Records the attempt in the log. */
export function proposeMerge(rng: Rng, lineage: Lineage, candidates: readonly number[], log: MergeLog, attempts = 10): MergeProposal | undefined {
  if (candidates.length < 2 || lineage.texts.length < 3) return undefined;
  for (let t = 0; t < attempts; t++) {
    const found = findMergeTriplet(rng, lineage, candidates, log, attempts);
    if (!found) continue;
    const { i, j, ancestor } = found;
    const merged = mergeTexts(rng, lineage, i, j, ancestor);
    const description = `${i},${j}:${merged.sources.join(",")}`;
    if (log.descriptions.has(description)) continue;
    log.descriptions.add(description);
    log.triplets.add(tripletKey(i, j, ancestor));
    return { first: i, second: j, ancestor, ...merged };
  }
  return undefined;
}

/**
 * Validation examples to test a merge on: up to n, drawn evenly from those where the first
 * parent scores higher, where the second does, and where they tie; topped up from the rest.
 */
export function stratifiedSubsample(rng: Rng, first: readonly number[], second: readonly number[], n: number): number[] {
  const ids = first.map((_, k) => k).filter((k) => second[k] !== undefined);
  const groups = [ids.filter((k) => first[k]! > second[k]!), ids.filter((k) => second[k]! > first[k]!), ids.filter((k) => first[k] === second[k])];
  const each = Math.max(1, Math.ceil(n / 3));
  const chosen: number[] = [];
  for (const group of groups) {
    if (chosen.length >= n) break;
    chosen.push(...rng.sample(group, Math.min(group.length, each, n - chosen.length)));
  }
  const rest = ids.filter((k) => !chosen.includes(k));
  chosen.push(...rng.sample(rest, n - chosen.length));
  return chosen.slice(0, n);
}

/** A merge is kept when its subsample sum is at least the better parent's sum on the same examples. */
export function mergeAccepted(merged: readonly number[], first: readonly number[], second: readonly number[]): boolean {
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
  return sum(merged) >= Math.max(sum(first), sum(second));
}
