import { jsonKey, type Config, type DemoValue } from "../../variables";
import { withDemos, type BootstrapOutcome, type DemoSlot } from "../bootstrap";

/** Run indices interleaved across groups of equal answers: the first ones cover the most different answers. */
export function diverseOrder(answers: readonly string[]): number[] {
  const groups = new Map<string, number[]>();
  answers.forEach((a, i) => groups.set(a, [...(groups.get(a) ?? []), i]));
  const queues = [...groups.values()];
  const out: number[] = [];
  while (out.length < answers.length) for (const q of queues) if (q.length) out.push(q.shift()!);
  return out;
}

/**
 * Splits bootstrapped demos into up to `sets` demo sets of `size` each: the runs are ordered to
 * cover different answers first, then dealt out in turn, so every set is as varied as the
 * passing runs allow. Steps share one split (demo i of every step comes from the same run).
 */
export function splitDemoSets(base: Config, slots: readonly DemoSlot[], outcome: BootstrapOutcome, sets: number, size: number): Config[] {
  const steps = Object.entries(outcome.steps);
  const count = Math.min(...steps.map(([, s]) => s.bootstrapped));
  if (steps.length === 0 || count <= 0) return [];
  const last = steps.at(-1)![1];
  const order = diverseOrder(Array.from({ length: count }, (_, i) => jsonKey(lastValue(last.demos[i]!))));
  const n = Math.max(1, Math.min(sets, Math.floor(count / Math.max(1, size)) || 1));
  const dealt: number[][] = Array.from({ length: n }, () => []);
  order.forEach((run, t) => {
    const set = dealt[t % n]!;
    if (set.length < size) set.push(run);
  });
  const out: Config[] = [];
  const seen = new Set<string>();
  for (const picks of dealt) {
    const candidate = { label: "reflect-race", steps: Object.fromEntries(steps.map(([step, s]) => [step, { demos: picks.map((i) => s.demos[i]!), bootstrapped: picks.length }])) };
    const config = withDemos(base, slots, candidate);
    const key = jsonKey(config);
    if (!seen.has(key)) out.push(config);
    seen.add(key);
  }
  return out;
}

/** The demo's last field (its final output). */
function lastValue(demo: DemoValue): unknown {
  const values = Object.values(demo);
  return values.at(-1) ?? null;
}
