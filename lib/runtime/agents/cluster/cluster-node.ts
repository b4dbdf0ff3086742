// A cluster node: one process's part of agent systems spread over several processes on one
// Redis. It beats (a node that stops beating for nodeTtlMs is dead), competes for the leader's
// lease (the leader places agents and restarts a dead node's agents elsewhere), runs the agents
// placed on it, and reaches any agent of a system through that system's directory.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Redis } from "ioredis";
import { z } from "zod";
import type { LM, RunContext } from "../../../dspex";
import type { Action } from "../action";
import type { Logger } from "../../../log";
import { AgentError } from "../errors";
import type { AgentDirectory } from "../messaging/directory";
import { checkScale, entryMessage, groupCounts, groupOf, type AgentSystemDefinition } from "../systems/define-agent-system";
import type { CallOptions } from "../systems/start-agent-system";
import type { PublishAgentState } from "../types";
import { ClusterDirectory } from "./cluster-directory";
import { HostedSystem, type HostingCounts } from "./hosted-system";
import { clusterKeys } from "./keys";
import { leaderRound, readScale, redisNow, type LeaderCounts } from "./leader";
import type { ClusterEvent, NodeContext } from "./node-context";
import { runScript } from "./redis-scripts";
import { PendingReplies, readReplies } from "./replies";

export interface ClusterNodeOptions {
  readonly redisUrl: string;
  /** Every key of the cluster starts with it (one cluster per prefix). */
  readonly prefix: string;
  /** Default `<host>:<pid>:<random>`. */
  readonly nodeId?: string;
  /** The agent systems this node knows (to address them, and to lead them). */
  readonly systems: readonly AgentSystemDefinition[];
  /** Run agents here (default true); false: only send to them (a web server, a test client). */
  readonly host?: boolean;
  /** Compete for the leader's lease (default true). */
  readonly lead?: boolean;
  readonly lm?: LM;
  readonly context?: Omit<RunContext, "lm" | "settings" | "signal" | "tracer" | "paths" | "parentSpanId" | "path">;
  readonly publish?: PublishAgentState;
  /** Puts every action the node's agents mount behind the marketplace's gate. */
  readonly govern?: (action: Action) => Action;
  readonly log?: Pick<Logger, "info" | "warn" | "error">;
  /** Default 1000 ms. */
  readonly heartbeatMs?: number;
  /** A node silent for this long is dead (default 5000 ms: a loaded process may miss a beat or two); also the leader's lease. */
  readonly nodeTtlMs?: number;
  /** How often placement is read and, on the leader, reconciled (default 250 ms). */
  readonly tickMs?: number;
  /** Longest blocking read before a reader looks whether to stop (default 1000 ms). */
  readonly blockMs?: number;
}

export interface ClusterSystemStatus {
  readonly name: string;
  /** "running", "stopped", or "failed: <why>" once the restart intensity was exceeded. */
  readonly state: string;
  readonly counts: Record<string, number>;
  /** agent id -> node it is placed on. */
  readonly placement: Record<string, string>;
  /** agent id -> the node running it and since when. */
  readonly running: Record<string, { readonly node: string; readonly since: string }>;
  readonly restarts: Record<string, number>;
  readonly nodes: readonly string[];
  /** The node holding the leader's lease, if any. */
  readonly leader: string | null;
}

export interface ClusterNodeStats {
  readonly node: string;
  readonly leader: boolean;
  readonly hosted: Record<string, string[]>;
  readonly waiting: number;
  readonly replies: { readonly received: number; readonly unmatched: number; readonly malformed: number };
  readonly hosting: HostingCounts;
  readonly leading: LeaderCounts;
}

export interface ClusterNode {
  readonly id: string;
  directory(system: string): AgentDirectory;
  /** Sends `input` to the system's entry and resolves with the reply. */
  call<R = unknown>(system: string, input: unknown, options?: CallOptions): Promise<R>;
  /** Sets how many agents a group has, cluster-wide. */
  scale(system: string, group: string, count: number): Promise<void>;
  /** Starts again a system that failed or was stopped (clears its restart record). */
  restart(system: string): Promise<void>;
  /** Stops every agent of the system, cluster-wide, until restart(). */
  stopSystem(system: string): Promise<void>;
  status(system: string): Promise<ClusterSystemStatus>;
  stats(): ClusterNodeStats;
  /** Leaves the cluster: agents here finish their message in hand and are placed elsewhere (not counted as restarts). */
  stop(): Promise<void>;
  /** For tests and chaos drills: stops at once as a killed process would (no goodbye; the leader finds it dead). */
  kill(): void;
}

const EventSchema = z.union([z.object({ kind: z.literal("placement"), system: z.string() }), z.object({ kind: z.literal("cancel"), id: z.string(), reason: z.string() })]);

export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const nodeId = options.nodeId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const keys = clusterKeys(options.prefix);
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on("error", (err: unknown) => options.log?.warn({ err }, "cluster: redis"));
  await redis.connect();
  const systems = new Map(options.systems.map((d) => [d.name, d]));
  const heartbeatMs = options.heartbeatMs ?? 1000;
  const nodeTtlMs = options.nodeTtlMs ?? 5000;
  const tickMs = options.tickMs ?? 250;
  const ctx: NodeContext = {
    nodeId,
    redis,
    keys,
    systems,
    nodeTtlMs,
    blockMs: options.blockMs ?? 1000,
    ...(options.log && { log: options.log }),
    ...(options.lm && { lm: options.lm }),
    ...(options.context && { context: options.context }),
    ...(options.publish && { publish: options.publish }),
    ...(options.govern && { govern: options.govern }),
    announce: async (event: ClusterEvent) => void (await redis.publish(keys.channel, JSON.stringify(event))),
  };
  const node = new Node(ctx, options, heartbeatMs, tickMs);
  try {
    await node.start();
  } catch (err) {
    await node.stop();
    throw err;
  }
  return node;
}

class Node implements ClusterNode {
  readonly id: string;
  private readonly pending = new PendingReplies();
  private readonly inflight = new Map<string, AbortController>();
  private readonly directories = new Map<string, ClusterDirectory>();
  private readonly hosted = new Map<string, HostedSystem>();
  private readonly scales = new Map<string, Record<string, number>>();
  private readonly hosting: HostingCounts = { completed: 0, refused: 0, givenBack: 0 };
  private readonly leading: LeaderCounts = { requeued: 0, deadLettered: 0, reaped: 0, restarted: 0 };
  private readonly connections: Redis[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly loops: Promise<void>[] = [];
  private leader = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private syncAgain = false;
  private leading_: Promise<void> | undefined;

  constructor(
    private readonly ctx: NodeContext,
    private readonly options: ClusterNodeOptions,
    private readonly heartbeatMs: number,
    private readonly tickMs: number,
  ) {
    this.id = ctx.nodeId;
    for (const def of ctx.systems.values()) {
      const directory = new ClusterDirectory(ctx, def, this.pending, () => this.scales.get(def.name) ?? {});
      this.directories.set(def.name, directory);
      if (options.host !== false) {
        this.hosted.set(def.name, new HostedSystem(ctx, def, directory, this.inflight, this.hosting, (reason) => void this.fail(def.name, reason)));
      }
    }
  }

  async start(): Promise<void> {
    const { redis, keys } = this.ctx;
    await this.beat();
    for (const def of this.ctx.systems.values()) {
      await redis.sadd(keys.systems, def.name);
      if (this.hosted.has(def.name)) await redis.sadd(keys.hosts(def.name), this.id);
      this.scales.set(def.name, await readScale(this.ctx, def.name));
    }
    const sub = this.connection();
    sub.on("message", (_channel: string, text: string) => this.onEvent(text));
    await sub.subscribe(keys.channel);
    this.loops.push(readReplies(this.ctx, this.connection(), this.pending, () => this.stopped));
    this.every(this.heartbeatMs, () => this.beat());
    this.every(this.tickMs, () => this.tick());
    await this.tick();
  }

  directory(system: string): AgentDirectory {
    const d = this.directories.get(system);
    if (!d) throw new AgentError("UNKNOWN_ADDRESS", `this node knows no agent system "${system}"; systems: ${[...this.directories.keys()].join(", ") || "(none)"}`, system);
    return d;
  }

  call<R = unknown>(system: string, input: unknown, options: CallOptions = {}): Promise<R> {
    try {
      const def = this.definition(system);
      const entry = entryMessage(def);
      return this.directory(system).ask<R>({ capability: entry.capability }, { type: entry.type, payload: input }, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async scale(system: string, group: string, count: number): Promise<void> {
    checkScale(this.definition(system), { [group]: count });
    await this.ctx.redis.hset(this.ctx.keys.scale(system), group, String(count));
    this.scales.set(system, await readScale(this.ctx, system));
    await this.ctx.announce({ kind: "placement", system });
  }

  async restart(system: string): Promise<void> {
    this.definition(system);
    const { keys } = this.ctx;
    await this.ctx.redis.del(keys.state(system), keys.restarts(system), keys.orphans(system));
    await this.ctx.announce({ kind: "placement", system });
  }

  async stopSystem(system: string): Promise<void> {
    this.definition(system);
    await this.ctx.redis.set(this.ctx.keys.state(system), "stopped");
    await this.ctx.announce({ kind: "placement", system });
  }

  async status(system: string): Promise<ClusterSystemStatus> {
    const def = this.definition(system);
    const { redis, keys } = this.ctx;
    const now = await redisNow(this.ctx);
    const [state, placement, running, restarts, nodes, scale, leader] = await Promise.all([
      redis.get(keys.state(system)),
      redis.hgetall(keys.place(system)),
      redis.hgetall(keys.running(system)),
      redis.hgetall(keys.agentRestarts(system)),
      redis.zrangebyscore(keys.nodes, now, "+inf"),
      readScale(this.ctx, system),
      redis.get(keys.leader),
    ]);
    const parsed: Record<string, { node: string; since: string }> = {};
    for (const [id, v] of Object.entries(running)) {
      try {
        const r = JSON.parse(v) as { node?: unknown; since?: unknown };
        if (typeof r.node === "string" && typeof r.since === "string") parsed[id] = { node: r.node, since: r.since };
      } catch {
        // A record written by something else: not ours to show.
      }
    }
    return { name: system, state: state ?? "running", counts: groupCounts(def, scale), placement, running: parsed, restarts: Object.fromEntries(Object.entries(restarts).map(([k, v]) => [k, Number(v)])), nodes, leader };
  }

  stats(): ClusterNodeStats {
    return {
      node: this.id,
      leader: this.leader,
      hosted: Object.fromEntries([...this.hosted].map(([name, h]) => [name, h.ids()])),
      waiting: this.pending.size,
      replies: { ...this.pending.counts },
      hosting: { ...this.hosting },
      leading: { ...this.leading },
    };
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      for (const t of this.timers) clearInterval(t);
      await this.syncing.catch(() => undefined);
      await this.leading_?.catch(() => undefined);
      const { redis, keys } = this.ctx;
      for (const [name, h] of this.hosted) {
        const mine = h.ids();
        await h.stop();
        if (mine.length && redis.status === "ready") {
          // Leaving, not dying: the agents here are placed afresh elsewhere, not counted as restarts.
          const placed = await redis.hgetall(keys.place(name)).catch(() => ({}) as Record<string, string>);
          const ours = mine.filter((id) => placed[id] === this.id);
          if (ours.length) await redis.hdel(keys.place(name), ...ours).catch(() => 0);
          await redis.srem(keys.hosts(name), this.id).catch(() => 0);
          await this.ctx.announce({ kind: "placement", system: name }).catch(() => undefined);
        }
      }
      if (redis.status === "ready") {
        await runScript(redis, "release", [keys.leader], [this.id]).catch(() => 0);
        await redis.zrem(keys.nodes, this.id).catch(() => 0);
        await redis.del(keys.replies(this.id)).catch(() => 0);
      }
      this.pending.rejectAll(new AgentError("AGENT_STOPPED", `cluster node ${this.id} stopped before the reply came`));
      for (const c of this.connections) c.disconnect();
      await Promise.all(this.loops);
      redis.disconnect();
    })();
    return this.stopping;
  }

  kill(): void {
    this.stopped = true;
    this.stopping ??= Promise.resolve();
    for (const t of this.timers) clearInterval(t);
    for (const h of this.hosted.values()) h.abandon();
    for (const c of this.connections) c.disconnect();
    this.ctx.redis.disconnect();
    this.pending.rejectAll(new AgentError("AGENT_STOPPED", `cluster node ${this.id} was killed`));
  }

  // ---- loops ---------------------------------------------------------------------------------

  private async beat(): Promise<void> {
    await runScript(this.ctx.redis, "heartbeat", [this.ctx.keys.nodes], [this.id, this.ctx.nodeTtlMs]);
    // A node presumed dead after a long pause (and reaped) offers to host again once it beats.
    for (const name of this.hosted.keys()) await this.ctx.redis.sadd(this.ctx.keys.hosts(name), this.id);
    if (this.options.lead !== false) this.leader = (await runScript(this.ctx.redis, "lease", [this.ctx.keys.leader], [this.id, this.ctx.nodeTtlMs])) === 1;
  }

  private async tick(): Promise<void> {
    if (this.leader && !this.leading_) {
      this.leading_ = leaderRound(this.ctx, this.leading)
        .catch((err: unknown) => this.ctx.log?.warn({ err }, "cluster: the leader's round failed; next round retries"))
        .finally(() => (this.leading_ = undefined));
    }
    await this.requestSync();
  }

  /** Reads placement and scale, and runs here exactly the agents placed here. Serial; a request during a sync runs one more. */
  private requestSync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.syncAgain = true;
    this.syncing = this.syncing.then(async () => {
      if (!this.syncAgain || this.stopped) return;
      this.syncAgain = false;
      for (const def of this.ctx.systems.values()) await this.sync(def);
    });
    this.syncing = this.syncing.catch((err: unknown) => this.ctx.log?.warn({ err }, "cluster: reading the placement failed; next tick retries"));
    return this.syncing;
  }

  private async sync(def: AgentSystemDefinition): Promise<void> {
    const { redis, keys } = this.ctx;
    this.scales.set(def.name, await readScale(this.ctx, def.name));
    const hosted = this.hosted.get(def.name);
    if (!hosted) return;
    const [placement, state] = await Promise.all([redis.hgetall(keys.place(def.name)), redis.get(keys.state(def.name))]);
    const mine = new Map<string, string>();
    for (const [id, node] of Object.entries(placement)) {
      const group = groupOf(def, id);
      if (node === this.id && group !== undefined) mine.set(id, group);
    }
    await hosted.apply(mine, state === "stopped" || (state?.startsWith("failed") ?? false));
  }

  private onEvent(text: string): void {
    let event: ClusterEvent;
    try {
      const parsed = EventSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return;
      event = parsed.data;
    } catch {
      return;
    }
    if (event.kind === "cancel") this.inflight.get(event.id)?.abort(new AgentError("TASK_TIMEOUT", `the sender gave up: ${event.reason}`));
    else void this.requestSync();
  }

  private async fail(system: string, reason: string): Promise<void> {
    await this.ctx.redis.set(this.ctx.keys.state(system), `failed: ${reason}`).catch(() => undefined);
    await this.ctx.announce({ kind: "placement", system }).catch(() => undefined);
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    const t = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      fn()
        .catch((err: unknown) => this.ctx.log?.warn({ err }, "cluster: a periodic step failed"))
        .finally(() => (busy = false));
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private connection(): Redis {
    const c = this.ctx.redis.duplicate();
    c.on("error", (err: unknown) => this.ctx.log?.warn({ err }, "cluster: redis"));
    this.connections.push(c);
    return c;
  }

  private definition(system: string): AgentSystemDefinition {
    const def = this.ctx.systems.get(system);
    if (!def) throw new AgentError("UNKNOWN_ADDRESS", `this node knows no agent system "${system}"; systems: ${[...this.ctx.systems.keys()].join(", ") || "(none)"}`, system);
    return def;
  }
}
