// Contract net: the task is announced to every capable agent, each bids a cost (or declines), and
// the cheapest bidder wins the contract. If the winner crashes or times out, the task goes to the
// next cheapest. An agent with a "bid" handler bids with it (a number, or null to decline); one
// without bids its current load, so the contract net balances load by default.
import { z } from "zod";
import type { Agent } from "../agent";
import { AgentError } from "../errors";
import type { DispatchOptions, TaskResult, Team, TeamTask } from "../team";

export interface Bid {
  readonly agentId: string;
  readonly cost: number;
}

export interface ContractNetOptions extends DispatchOptions {
  /** The message type of a call for bids (default "bid"). */
  readonly bidType?: string;
  /** Bids not in by then are ignored (default 5000 ms). */
  readonly bidTimeoutMs?: number;
}

const BidSchema = z.number().finite().nonnegative().nullable();

async function bidOf(agent: Agent, task: TeamTask, bidType: string, timeoutMs: number): Promise<Bid | undefined> {
  if (!agent.capabilities.has(bidType)) return { agentId: agent.id, cost: agent.load };
  try {
    const reply = await agent.ask({ type: bidType, payload: { capability: task.capability, payload: task.payload } }, { timeoutMs, onCrash: "fail", overflow: "fail" });
    const parsed = BidSchema.safeParse(reply);
    return parsed.success && parsed.data !== null ? { agentId: agent.id, cost: parsed.data } : undefined;
  } catch {
    return undefined;
  }
}

/** Collects bids, awards the task to the cheapest bidder (ties: join order), re-awards on failure. */
export async function contractNet<R = unknown>(team: Team, task: TeamTask, options: ContractNetOptions = {}): Promise<TaskResult<R> & { bids: readonly Bid[] }> {
  const capable = team.members(task.capability);
  const bids = (await Promise.all(capable.map((a) => bidOf(a, task, options.bidType ?? "bid", options.bidTimeoutMs ?? 5000)))).filter((b): b is Bid => b !== undefined);
  if (bids.length === 0) throw new AgentError("NO_CAPABLE_AGENT", `contract net: no agent of team "${team.name}" bid for "${task.capability}" (${capable.length} capable)`, team.name);
  const ranked = [...bids].sort((a, b) => a.cost - b.cost);
  const rank = new Map(ranked.map((b, i) => [b.agentId, i]));
  const select = (pool: readonly Agent[]) =>
    pool
      .filter((a) => rank.has(a.id))
      .sort((a, b) => rank.get(a.id)! - rank.get(b.id)!)[0];
  const result = await team.dispatch<R>(task, { ...options, select });
  return { ...result, bids: ranked };
}
