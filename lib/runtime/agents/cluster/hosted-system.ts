// The agents of one system that a node runs: started when the placement puts them here, stopped
// when it moves them away (or the system failed). Each is a supervised agent (the definition's
// restart rules) with a reader of its streams that takes a message only while the agent is idle,
// hands it to the agent, and completes it atomically with its reply.
import type { Redis } from "ioredis";
import { startSupervisor, type Supervisor } from "../../supervisor";
import { startAgent, type Agent } from "../agent";
import { AgentError, isAgentError } from "../errors";
import type { AgentDirectory } from "../messaging/directory";
import { groupSkills, type AgentSystemDefinition } from "../systems/define-agent-system";
import { consumerName, GROUP } from "./keys";
import type { NodeContext } from "./node-context";
import { runScript } from "./redis-scripts";
import { CollectingTracer } from "./remote-trace";
import { complete, ensureGroups, parseRead, requeue, type StreamEntry } from "./streams";
import { streamsOfAgent } from "./system-streams";
import { decodeEntry, errorToWire, type WireReply } from "./wire";

export interface HostingCounts {
  completed: number;
  /** Completions refused because the message had been taken from this node (it was presumed dead). */
  refused: number;
  givenBack: number;
}

class HostedAgent {
  private stopping = false;
  private loop: Promise<void> | undefined;
  private readonly consumer: string;
  private readonly streams: string[];
  /** What this node wrote in the system's "running" record for the agent. */
  private record = "";

  constructor(
    private readonly ctx: NodeContext,
    private readonly def: AgentSystemDefinition,
    readonly agent: Agent,
    group: string,
    private readonly reader: Redis,
    private readonly inflight: Map<string, AbortController>,
    private readonly counts: HostingCounts,
  ) {
    this.consumer = consumerName(ctx.nodeId, agent.id);
    this.streams = streamsOfAgent(ctx.keys, def, agent.id, group);
  }

  async start(): Promise<void> {
    await ensureGroups(this.ctx.redis, this.streams);
    this.record = JSON.stringify({ node: this.ctx.nodeId, since: new Date().toISOString() });
    await this.ctx.redis.hset(this.ctx.keys.running(this.def.name), this.agent.id, this.record);
    this.loop = this.run();
  }

  /** Finishes the message in hand, gives back what was read but not handled, stops the agent. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.reader.disconnect();
    await this.loop;
    await this.agent.stop();
    // Only our own record: the node the agent moved to may have written its own already.
    await runScript(this.ctx.redis, "forget", [this.ctx.keys.running(this.def.name)], [this.agent.id, this.record]).catch(() => 0);
  }

  /** As if the process died: no more reads or writes; what it holds stays pending in Redis. */
  abandon(): void {
    this.stopping = true;
    this.reader.disconnect();
    void this.agent.stop();
  }

  private async run(): Promise<void> {
    while (!this.gone()) {
      let reply: unknown;
      try {
        reply = await this.reader.call("XREADGROUP", "GROUP", GROUP, this.consumer, "COUNT", "1", "BLOCK", String(this.ctx.blockMs), "STREAMS", ...this.streams, ...this.streams.map(() => ">"));
      } catch (err) {
        if (this.stopping) return;
        this.ctx.log?.warn({ err, agent: this.agent.id }, "cluster: reading an agent's mailbox failed; retrying");
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const entry of parseRead(reply)) {
        try {
          if (this.gone()) await this.giveBack(entry);
          else await this.handle(entry);
        } catch (err) {
          // Redis went away mid-message: it stays pending under this consumer, to be put back if this node is dead.
          if (!this.stopping) this.ctx.log?.warn({ err, agent: this.agent.id }, "cluster: completing a message failed");
        }
      }
    }
  }

  private gone(): boolean {
    return this.stopping || this.agent.state === "stopped";
  }

  private async giveBack(entry: StreamEntry): Promise<void> {
    await requeue(this.ctx.redis, entry.stream, entry.id, this.consumer, this.def.maxDeliveries, false).catch(() => undefined);
    this.counts.givenBack++;
  }

  private async handle(entry: StreamEntry): Promise<void> {
    const decoded = decodeEntry(entry.fields);
    const m = decoded.message;
    if (!m) {
      this.ctx.log?.warn({ stream: entry.stream, problem: decoded.problem }, "cluster: a malformed message was dropped");
      await complete(this.ctx.redis, entry, this.consumer, undefined, "");
      return;
    }
    const base = { id: m.id, node: this.ctx.nodeId, agent: this.agent.id };
    const remaining = m.deadline === undefined ? undefined : m.deadline - Date.now();
    let reply: WireReply;
    const tracer = m.span !== undefined ? new CollectingTracer() : undefined;
    if (remaining !== undefined && remaining <= 0) {
      reply = { ...base, ok: false, error: errorToWire(new AgentError("TASK_TIMEOUT", `the sender's deadline had passed when ${this.agent.id} took "${m.type}"`, this.agent.id)) };
    } else {
      const cancel = new AbortController();
      this.inflight.set(m.id, cancel);
      try {
        const value = await this.agent.ask(
          { type: m.type, payload: m.payload },
          {
            delivered: decoded.deliveries - 1,
            signal: cancel.signal,
            ...(remaining !== undefined && { timeoutMs: remaining }),
            ...(m.from !== undefined && { from: m.from }),
            ...(m.topic !== undefined && { topic: m.topic }),
            ...(tracer && m.span !== undefined && { underSpan: { tracer, parentSpanId: m.span } }),
          },
        );
        reply = { ...base, ok: true, value };
      } catch (error) {
        if (this.stopping && isAgentError(error, "AGENT_STOPPED")) return this.giveBack(entry);
        reply = { ...base, ok: false, error: errorToWire(error) };
      } finally {
        this.inflight.delete(m.id);
      }
    }
    if (tracer) reply = { ...reply, spans: tracer.spans, lmCalls: tracer.lmCalls };
    const text = serialise(reply);
    const replyStream = m.replyTo !== undefined ? this.ctx.keys.replies(m.replyTo) : undefined;
    if (await complete(this.ctx.redis, entry, this.consumer, replyStream, text)) this.counts.completed++;
    else this.counts.refused++;
  }
}

function serialise(reply: WireReply): string {
  try {
    return JSON.stringify(reply);
  } catch (err) {
    return JSON.stringify({ id: reply.id, node: reply.node, agent: reply.agent, ok: false, error: { code: "MESSAGE_INVALID", message: `the reply cannot be sent to another process: ${err instanceof Error ? err.message : String(err)}` } });
  }
}

export class HostedSystem {
  private supervisor: Supervisor | undefined;
  private readonly agents = new Map<string, HostedAgent>();
  private failed = false;

  constructor(
    private readonly ctx: NodeContext,
    readonly def: AgentSystemDefinition,
    private readonly directory: AgentDirectory,
    private readonly inflight: Map<string, AbortController>,
    readonly counts: HostingCounts,
    private readonly onFail: (reason: string) => void,
  ) {}

  ids(): string[] {
    return [...this.agents.keys()];
  }

  agent(id: string): Agent | undefined {
    return this.agents.get(id)?.agent;
  }

  /** Runs exactly the agents placed on this node (none when the system failed). */
  async apply(mine: ReadonlyMap<string, string>, failed: boolean): Promise<void> {
    const wanted = failed ? new Map<string, string>() : mine;
    for (const [id, hosted] of [...this.agents]) {
      if (wanted.has(id)) continue;
      this.agents.delete(id);
      await hosted.stop();
    }
    for (const [id, group] of wanted) {
      if (this.agents.has(id)) continue;
      await this.start(id, group);
    }
  }

  abandon(): void {
    for (const a of this.agents.values()) a.abandon();
    this.agents.clear();
    void this.supervisor?.stop();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.stop()));
    this.agents.clear();
    await this.supervisor?.stop();
    this.supervisor = undefined;
  }

  private async start(id: string, group: string): Promise<void> {
    const sup = await this.ensureSupervisor();
    const g = this.def.agents[group]!;
    const mounted = groupSkills(this.def, group);
    const agent = await startAgent({
      name: group,
      id,
      supervisor: sup,
      directory: this.directory,
      systemId: this.def.name,
      maxDeliveries: this.def.maxDeliveries,
      ...(this.ctx.govern && { govern: this.ctx.govern }),
      ...(g.role && { role: g.role }),
      ...mounted,
      ...(g.topics && { topics: g.topics }),
      ...(g.settings && { settings: g.settings }),
      ...(g.variables && { variables: g.variables }),
      ...(this.def.mailbox && { mailbox: this.def.mailbox }),
      ...(this.def.askTimeoutMs !== undefined && { askTimeoutMs: this.def.askTimeoutMs }),
      ...(this.ctx.lm && { lm: this.ctx.lm }),
      ...(this.ctx.context && { context: this.ctx.context }),
      ...(this.ctx.publish && { publish: this.ctx.publish }),
    });
    const hosted = new HostedAgent(this.ctx, this.def, agent, group, this.ctx.redis.duplicate(), this.inflight, this.counts);
    this.agents.set(id, hosted);
    await hosted.start();
  }

  /** The node's supervisor for this system: when its restart intensity is exceeded, the system fails cluster-wide. */
  private async ensureSupervisor(): Promise<Supervisor> {
    if (this.supervisor && !this.failed) return this.supervisor;
    const sup = await startSupervisor({ path: `agent-system:${this.def.name}@${this.ctx.nodeId}`, flags: this.def.flags });
    this.supervisor = sup;
    this.failed = false;
    void sup.exit.then((reason) => {
      if (reason.kind !== "error" || this.supervisor !== sup) return;
      this.failed = true;
      this.onFail(`restart intensity exceeded on node ${this.ctx.nodeId}: ${reason.error instanceof Error ? reason.error.message : String(reason.error)}`);
    });
    return sup;
  }
}
