// Where a system's agents should run, decided from a snapshot of the cluster (a pure function,
// so the rules are tested without Redis). Agents that were never placed go to the least loaded
// live node that can host the system. An agent whose node died is a restart, under the same
// rules as a supervisor's: it waits its backoff (per agent, growing with its restarts in the
// period), and when the restarts of the period would exceed the intensity the system fails.
// When nodes join, the system is rebalanced: agents move from the node with the most of them to
// the one with the fewest until they differ by at most one (a move is a hand-over, not a restart).
import { backoffDelay, type SupervisorFlags } from "../../supervisor";

export interface PlanInput {
  readonly now: number;
  readonly desired: ReadonlyArray<{ readonly id: string }>;
  /** agent id -> node, as placed now. */
  readonly placed: Readonly<Record<string, string>>;
  /** Live nodes that can host the system, in a stable order. */
  readonly hosts: readonly string[];
  /** Agents placed on each live node, every system counted (what "least loaded" compares). */
  readonly load: Readonly<Record<string, number>>;
  /** agent id -> when it was found without a live node. */
  readonly orphans: Readonly<Record<string, number>>;
  /** Restarts of the system within the period. */
  readonly restartsInPeriod: number;
  /** Restarts of each agent within the period (its backoff grows with them). */
  readonly restartsOf: Readonly<Record<string, number>>;
  readonly flags: SupervisorFlags;
  readonly random: () => number;
}

export interface Plan {
  /** New placements: agent id -> node. */
  readonly assign: Readonly<Record<string, string>>;
  /** Of those, the ones that are restarts (their node died). */
  readonly restarted: readonly string[];
  /** Of those, the ones moved from a live node to balance the system. */
  readonly moved: readonly string[];
  /** Placed agents the system no longer has (scaled down). */
  readonly remove: readonly string[];
  /** Agents found without a node this time: agent id -> now. */
  readonly orphaned: Readonly<Record<string, number>>;
  /** Orphan records to forget (restarted, or back on a live node). */
  readonly forget: readonly string[];
  /** Set when the restarts due would exceed the intensity: the system fails. */
  readonly failed?: string;
  /** When the next restart that is waiting out its backoff is due, if any. */
  readonly nextDueAt?: number;
}

export function planPlacement(input: PlanInput): Plan {
  const desired = new Set(input.desired.map((d) => d.id));
  const remove = Object.keys(input.placed).filter((id) => !desired.has(id));
  const live = new Set(input.hosts);
  const orphaned: Record<string, number> = {};
  const forget: string[] = [];
  const initial: string[] = [];
  const due: string[] = [];
  let nextDueAt: number | undefined;
  for (const { id } of input.desired) {
    const node = input.placed[id];
    if (node !== undefined && live.has(node)) {
      if (id in input.orphans) forget.push(id);
      continue;
    }
    if (node === undefined && !(id in input.orphans)) {
      initial.push(id);
      continue;
    }
    const since = input.orphans[id] ?? input.now;
    if (!(id in input.orphans)) orphaned[id] = since;
    const delay = backoffDelay(input.flags.backoff, (input.restartsOf[id] ?? 0) + 1, input.random);
    if (input.now >= since + delay) due.push(id);
    else nextDueAt = Math.min(nextDueAt ?? Infinity, since + delay);
  }
  if (due.length > 0 && input.restartsInPeriod + due.length > input.flags.intensity) {
    return {
      assign: {},
      restarted: [],
      moved: [],
      remove,
      orphaned,
      forget,
      failed: `${input.restartsInPeriod + due.length} restarts within ${input.flags.periodMs} ms exceed the intensity of ${input.flags.intensity} (agents ${due.join(", ")} lost their node)`,
    };
  }
  const load = new Map(input.hosts.map((h) => [h, input.load[h] ?? 0]));
  const assign: Record<string, string> = {};
  const restarted: string[] = [];
  for (const id of [...initial, ...due]) {
    let best: string | undefined;
    for (const host of input.hosts) if (best === undefined || load.get(host)! < load.get(best)!) best = host;
    if (best === undefined) break; // no live host: wait for one
    assign[id] = best;
    load.set(best, load.get(best)! + 1);
    if (due.includes(id)) {
      restarted.push(id);
      forget.push(id);
    }
  }
  const moved = rebalance(input, assign, desired);
  return { assign, restarted, moved, remove, orphaned, forget, ...(nextDueAt !== undefined && { nextDueAt }) };
}

/** Moves agents of this system from its busiest host to its idlest until they differ by at most one. */
function rebalance(input: PlanInput, assign: Record<string, string>, desired: ReadonlySet<string>): string[] {
  const live = new Set(input.hosts);
  const where = new Map<string, string>();
  for (const [id, node] of Object.entries(input.placed)) if (desired.has(id) && live.has(node)) where.set(id, node);
  for (const [id, node] of Object.entries(assign)) where.set(id, node);
  const moved: string[] = [];
  for (;;) {
    const count = new Map(input.hosts.map((h) => [h, 0]));
    for (const node of where.values()) count.set(node, (count.get(node) ?? 0) + 1);
    const ordered = [...count].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
    const [idlest, most] = [ordered[0], ordered[ordered.length - 1]];
    if (!idlest || !most || most[1] - idlest[1] <= 1) return moved;
    const candidate = [...where].filter(([id, node]) => node === most[0] && !(id in assign)).map(([id]) => id).sort().pop();
    if (candidate === undefined) return moved;
    where.set(candidate, idlest[0]);
    assign[candidate] = idlest[0];
    moved.push(candidate);
  }
}
