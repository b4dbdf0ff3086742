// Chart series of an agent system from its agents' state samples (recorded events, then live
// ones): mailbox depth per agent as a step line, and throughput per agent (messages processed per
// second) from the growth of each agent's processed count per time bucket.

export interface AgentSample {
  readonly agentId: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly processed: number;
  readonly mailboxDepth: number;
}

export type SeriesPoint = { t: number } & Record<string, number>;

const MAX_POINTS = 300;
const MIN_BUCKET_MS = 250;
const BUCKETS = 40;

/** Samples in time order, one per (agent, time), at most `max` (the newest). */
export function mergeSamples(current: readonly AgentSample[], added: readonly AgentSample[], max = 4000): AgentSample[] {
  const seen = new Set(current.map((s) => `${s.agentId}|${s.at}|${s.processed}`));
  const merged = [...current];
  for (const s of added) {
    const k = `${s.agentId}|${s.at}|${s.processed}`;
    if (!seen.has(k)) {
      seen.add(k);
      merged.push(s);
    }
  }
  merged.sort((a, b) => a.at - b.at);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** Mailbox depth of every agent at each sample time (the last known depth carried forward). */
export function mailboxSeries(samples: readonly AgentSample[], labels: ReadonlyMap<string, string>): SeriesPoint[] {
  const depth = new Map<string, number>();
  const points: SeriesPoint[] = [];
  for (const s of samples) {
    const label = labels.get(s.agentId);
    if (label === undefined) continue;
    depth.set(label, s.mailboxDepth);
    const point: SeriesPoint = { t: s.at, ...Object.fromEntries(depth) };
    if (points.at(-1)?.t === s.at) points[points.length - 1] = point;
    else points.push(point);
  }
  return points.slice(-MAX_POINTS);
}

/** The bucket width for a time span: about 40 buckets, at least 250 ms, in whole 250 ms steps. */
export function bucketMsFor(spanMs: number): number {
  return Math.max(MIN_BUCKET_MS, Math.ceil(spanMs / BUCKETS / MIN_BUCKET_MS) * MIN_BUCKET_MS);
}

/** Buckets a throughput point averages over, so an agent that takes one message per round reads as a steady rate. */
const WINDOW_BUCKETS = 4;

/** Messages processed per second by each agent, averaged over the last few time buckets. */
export function throughputSeries(samples: readonly AgentSample[], labels: ReadonlyMap<string, string>): { points: SeriesPoint[]; bucketMs: number } {
  const known = samples.filter((s) => labels.has(s.agentId));
  if (known.length === 0) return { points: [], bucketMs: MIN_BUCKET_MS };
  const start = known[0]!.at;
  const bucketMs = bucketMsFor(known.at(-1)!.at - start);
  const processed = new Map<string, number>();
  // Each agent's processed count at the end of every bucket so far (its first sample counts from itself, so a page opened late shows no spike).
  const history = new Map<string, number[]>();
  const points: SeriesPoint[] = [];
  let i = 0;
  for (let end = start + bucketMs; i < known.length || points.length === 0; end += bucketMs) {
    while (i < known.length && known[i]!.at < end) {
      const s = known[i++]!;
      const label = labels.get(s.agentId)!;
      if (!history.has(label)) history.set(label, Array<number>(points.length).fill(s.processed));
      processed.set(label, s.processed);
    }
    const point: SeriesPoint = { t: end - bucketMs };
    for (const [label, n] of processed) {
      const past = history.get(label)!;
      past.push(n);
      const from = past[Math.max(0, past.length - 1 - WINDOW_BUCKETS)]!;
      const span = Math.min(WINDOW_BUCKETS, past.length - 1) || 1;
      point[label] = Math.max(0, n - from) / ((span * bucketMs) / 1000);
    }
    points.push(point);
  }
  return { points: points.slice(-MAX_POINTS), bucketMs };
}
