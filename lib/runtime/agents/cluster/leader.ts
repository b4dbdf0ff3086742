// The leader's round (one node at a time holds a short lease): nodes that stopped beating are
// dead; the messages their agents held are put back in their streams (at most maxDeliveries
// deliveries each; past that the sender gets AGENT_CRASHED), and every system's placement is
// brought in line with its scale and the live nodes under the supervision rules (planPlacement).
import { SupervisorFlagsSchema } from "../../supervisor";
import { AgentError } from "../errors";
import { agentSlots, type AgentSystemDefinition } from "../systems/define-agent-system";
import { nodeOfConsumer } from "./keys";
import type { NodeContext } from "./node-context";
import { planPlacement } from "./placement-plan";
import { runScript } from "./redis-scripts";
import { consumersOf, pendingOf, requeue } from "./streams";
import { streamsOfSystem } from "./system-streams";
import { decodeEntry, errorToWire, type WireReply } from "./wire";

export interface LeaderCounts {
  requeued: number;
  deadLettered: number;
  reaped: number;
  restarted: number;
}

export async function redisNow(ctx: NodeContext): Promise<number> {
  return Number(await runScript(ctx.redis, "now", [], []));
}

export async function readScale(ctx: NodeContext, system: string): Promise<Record<string, number>> {
  const raw = await ctx.redis.hgetall(ctx.keys.scale(system));
  return Object.fromEntries(Object.entries(raw).map(([g, n]) => [g, Number(n)]).filter(([, n]) => Number.isInteger(n)));
}

/** One round of the leader's work. */
export async function leaderRound(ctx: NodeContext, counts: LeaderCounts): Promise<void> {
  const now = await redisNow(ctx);
  const dead = await ctx.redis.zrangebyscore(ctx.keys.nodes, "-inf", `(${now}`);
  for (const node of dead) await reapNode(ctx, node, counts);
  const live = await ctx.redis.zrangebyscore(ctx.keys.nodes, now, "+inf");
  const placements = new Map<string, Record<string, string>>();
  for (const name of ctx.systems.keys()) placements.set(name, await ctx.redis.hgetall(ctx.keys.place(name)));
  const load: Record<string, number> = Object.fromEntries(live.map((n) => [n, 0]));
  for (const placed of placements.values()) for (const node of Object.values(placed)) if (node in load) load[node]!++;
  for (const def of ctx.systems.values()) await reconcile(ctx, def, now, live, load, placements.get(def.name)!, counts);
}

/** A dead node: its held messages go back to their streams, its reply stream and records go. */
async function reapNode(ctx: NodeContext, node: string, counts: LeaderCounts): Promise<void> {
  for (const def of ctx.systems.values()) {
    const placed = Object.keys(await ctx.redis.hgetall(ctx.keys.place(def.name)));
    for (const stream of streamsOfSystem(ctx.keys, def, await readScale(ctx, def.name), placed)) {
      for (const consumer of await consumersOf(ctx.redis, stream)) {
        if (nodeOfConsumer(consumer) !== node) continue;
        for (const id of await pendingOf(ctx.redis, stream, consumer)) {
          const r = await requeue(ctx.redis, stream, id, consumer, def.maxDeliveries, true);
          if (r.kind === "requeued") counts.requeued++;
          if (r.kind === "dead") {
            counts.deadLettered++;
            await deadLetter(ctx, def, r.message, r.deliveries);
          }
        }
        await ctx.redis.call("XGROUP", "DELCONSUMER", stream, "agents", consumer).catch(() => 0);
      }
    }
    const running = await ctx.redis.hgetall(ctx.keys.running(def.name));
    for (const [id, record] of Object.entries(running)) {
      if (record.includes(`"node":"${node}"`)) await runScript(ctx.redis, "forget", [ctx.keys.running(def.name)], [id, record]);
    }
    await ctx.redis.srem(ctx.keys.hosts(def.name), node);
  }
  await ctx.redis.del(ctx.keys.replies(node));
  await ctx.redis.zrem(ctx.keys.nodes, node);
  counts.reaped++;
  ctx.log?.warn({ node }, "cluster: a node stopped beating; its messages were put back and its agents will restart elsewhere");
}

/** Tells the sender of a message that was lost with its node too many times. */
async function deadLetter(ctx: NodeContext, def: AgentSystemDefinition, raw: string, deliveries: number): Promise<void> {
  const decoded = decodeEntry(["m", raw, "d", String(deliveries)]);
  const m = decoded.message;
  if (!m?.replyTo) return;
  const error = new AgentError("AGENT_CRASHED", `agent system "${def.name}": "${m.type}" was delivered ${deliveries} times (maxDeliveries ${def.maxDeliveries}) and each time the node handling it died`, def.name);
  const reply: WireReply = { id: m.id, ok: false, error: errorToWire(error), node: ctx.nodeId };
  await ctx.redis.xadd(ctx.keys.replies(m.replyTo), "MAXLEN", "~", "100000", "*", "r", JSON.stringify(reply));
}

async function reconcile(ctx: NodeContext, def: AgentSystemDefinition, now: number, live: readonly string[], load: Record<string, number>, placed: Record<string, string>, counts: LeaderCounts): Promise<void> {
  const keys = ctx.keys;
  const state = await ctx.redis.get(keys.state(def.name));
  if (state?.startsWith("failed") || state === "stopped") {
    if (Object.keys(placed).length) {
      await ctx.redis.del(keys.place(def.name));
      await ctx.announce({ kind: "placement", system: def.name });
    }
    return;
  }
  const flags = SupervisorFlagsSchema.parse(def.flags);
  const hosts = (await ctx.redis.smembers(keys.hosts(def.name))).filter((h) => live.includes(h)).sort();
  await ctx.redis.zremrangebyscore(keys.restarts(def.name), "-inf", now - flags.periodMs);
  const recent = await ctx.redis.zrange(keys.restarts(def.name), 0, -1);
  const restartsOf: Record<string, number> = {};
  for (const member of recent) {
    const agent = member.slice(0, member.indexOf("@"));
    restartsOf[agent] = (restartsOf[agent] ?? 0) + 1;
  }
  const orphans = Object.fromEntries(Object.entries(await ctx.redis.hgetall(keys.orphans(def.name))).map(([id, at]) => [id, Number(at)]));
  const plan = planPlacement({ now, desired: agentSlots(def, await readScale(ctx, def.name)), placed, hosts, load, orphans, restartsInPeriod: recent.length, restartsOf, flags, random: Math.random });
  if (plan.failed) {
    await ctx.redis.multi().set(keys.state(def.name), `failed: ${plan.failed}`).del(keys.place(def.name)).del(keys.orphans(def.name)).exec();
    ctx.log?.error({ system: def.name, reason: plan.failed }, "cluster: an agent system failed (restart intensity exceeded)");
    await ctx.announce({ kind: "placement", system: def.name });
    return;
  }
  const tx = ctx.redis.multi();
  let changed = false;
  if (plan.remove.length) {
    tx.hdel(keys.place(def.name), ...plan.remove);
    changed = true;
  }
  const orphaned = Object.entries(plan.orphaned).filter(([id]) => !plan.forget.includes(id));
  if (orphaned.length) tx.hset(keys.orphans(def.name), Object.fromEntries(orphaned));
  if (plan.forget.length) tx.hdel(keys.orphans(def.name), ...plan.forget);
  if (Object.keys(plan.assign).length) {
    tx.hset(keys.place(def.name), plan.assign);
    changed = true;
  }
  for (const id of plan.restarted) {
    tx.zadd(keys.restarts(def.name), now, `${id}@${now}@${Math.random().toString(36).slice(2, 8)}`);
    tx.hincrby(keys.agentRestarts(def.name), id, 1);
  }
  await tx.exec();
  for (const [id, node] of Object.entries(plan.assign)) {
    load[node] = (load[node] ?? 0) + 1;
    if (placed[id] !== undefined) load[placed[id]] = Math.max(0, (load[placed[id]] ?? 1) - 1);
  }
  counts.restarted += plan.restarted.length;
  if (plan.restarted.length) ctx.log?.info({ system: def.name, agents: plan.restarted, on: plan.assign }, "cluster: agents of a dead node restarted on live nodes");
  if (plan.moved.length) ctx.log?.info({ system: def.name, agents: plan.moved }, "cluster: agents moved to balance the nodes");
  if (changed) await ctx.announce({ kind: "placement", system: def.name });
}
