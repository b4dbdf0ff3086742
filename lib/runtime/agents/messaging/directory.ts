// An agent system's directory: agents reach each other through it by id, name or capability,
// ask and await replies with timeouts, send, and publish on topics their peers subscribe to.
// Every message still goes through the receiver's bounded mailbox (back-pressure: a send waits
// for room, or fails fast with overflow "fail") and, when the sender traces its run, is a span
// of that run. Among several agents that match an address, the least loaded gets the message.
import type { Agent } from "../agent";
import { AgentError, isAgentError } from "../errors";
import type { AgentMessage, MessageOptions } from "../types";
import { checkTopic, describeAddress, normaliseAddress, type Address } from "./address";
import type { TraceContext } from "./message-span";

export interface RouteOptions extends MessageOptions {
  /** The sending agent's id: never chosen for its own message when another agent matches. */
  readonly from?: string;
  /** The run the message belongs to: it becomes a span of that run. */
  readonly trace?: TraceContext;
}

/** How agents find each other. In one process, `createDirectory`; across processes, a cluster node. */
export interface AgentDirectory {
  readonly id: string;
  /** Makes the agent reachable by id, name and capability; returns the function that removes it (and its subscriptions). */
  register(agent: Agent): () => void;
  /** Sends to the agent the address names and resolves with its reply. */
  ask<R = unknown>(to: Address, message: AgentMessage, options?: RouteOptions): Promise<R>;
  /** Resolves once the message is in the receiver's mailbox. */
  send(to: Address, message: AgentMessage, options?: RouteOptions): Promise<void>;
  /** Every subscriber of the topic but the sender gets `{ type: topic, payload }`; resolves with how many did. */
  publish(topic: string, payload: unknown, options?: RouteOptions): Promise<number>;
  /** The agent (it needs a handler named like the topic) gets what is published on it; returns the unsubscribe. */
  subscribe(agentId: string, topic: string): Promise<() => Promise<void>>;
}

export interface LocalDirectory extends AgentDirectory {
  /** Registered agents that are not stopped. */
  agents(): Agent[];
  /** The agent a message to `to` would go to now (least loaded among those that match, not `from` if another matches). */
  resolve(to: Address, from?: string): Agent;
  /** Ids of the agents subscribed to a topic. */
  subscribers(topic: string): string[];
}

let directorySeq = 0;

export function createDirectory(options: { readonly id?: string } = {}): LocalDirectory {
  return new InProcessDirectory(options.id ?? `directory-${++directorySeq}`);
}

class InProcessDirectory implements LocalDirectory {
  private readonly byId = new Map<string, Agent>();
  private readonly topics = new Map<string, Set<string>>();
  private turn = 0;

  constructor(readonly id: string) {}

  register(agent: Agent): () => void {
    const known = this.byId.get(agent.id);
    if (known && known !== agent && known.state !== "stopped") {
      throw new AgentError("OPTION_INVALID", `directory "${this.id}": an agent with id "${agent.id}" is already registered; give each agent its own id`, this.id);
    }
    this.byId.set(agent.id, agent);
    return () => {
      if (this.byId.get(agent.id) !== agent) return;
      this.byId.delete(agent.id);
      for (const subscribers of this.topics.values()) subscribers.delete(agent.id);
    };
  }

  agents(): Agent[] {
    return [...this.byId.values()].filter((a) => a.state !== "stopped");
  }

  resolve(to: Address, from?: string): Agent {
    const address = normaliseAddress(to, `directory "${this.id}"`);
    const live = this.agents();
    let matches: Agent[];
    if ("agent" in address) {
      const exact = this.byId.get(address.agent);
      matches = exact && exact.state !== "stopped" ? [exact] : live.filter((a) => a.name === address.agent);
    } else matches = live.filter((a) => a.capabilities.has(address.capability));
    const others = matches.filter((a) => a.id !== from);
    if (others.length === 0 && matches.length > 0) {
      throw new AgentError("MESSAGE_INVALID", `agent "${from}" sent a message to ${describeAddress(address)}, which is itself: an agent handles one message at a time and would wait on itself; address another agent`, from);
    }
    if (others.length === 0) {
      const names = live.map((a) => a.name);
      if ("agent" in address) throw new AgentError("UNKNOWN_ADDRESS", `directory "${this.id}": no agent is called "${address.agent}"; agents: ${[...new Set(names)].join(", ") || "(none)"}`, this.id);
      const can = [...new Set(live.flatMap((a) => [...a.capabilities]))];
      throw new AgentError("NO_CAPABLE_AGENT", `directory "${this.id}": no agent can do "${address.capability}"; agents can do: ${can.join(", ") || "(nothing)"}`, this.id);
    }
    return leastLoaded(others, this.turn++);
  }

  ask<R = unknown>(to: Address, message: AgentMessage, options: RouteOptions = {}): Promise<R> {
    try {
      return this.resolve(to, options.from).ask<R>(message, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  send(to: Address, message: AgentMessage, options: RouteOptions = {}): Promise<void> {
    try {
      return this.resolve(to, options.from).send(message, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async publish(topic: string, payload: unknown, options: RouteOptions = {}): Promise<number> {
    checkTopic(topic, `directory "${this.id}"`);
    const receivers = [...(this.topics.get(topic) ?? [])].filter((id) => id !== options.from).map((id) => this.byId.get(id)).filter((a): a is Agent => a !== undefined && a.state !== "stopped");
    const sent = await Promise.allSettled(receivers.map((agent) => agent.send({ type: topic, payload }, { ...options, topic })));
    const refused = sent.find((s): s is PromiseRejectedResult => s.status === "rejected" && !isAgentError(s.reason, "AGENT_STOPPED") && !isAgentError(s.reason, "MAILBOX_FULL"));
    if (refused) throw refused.reason;
    return sent.filter((s) => s.status === "fulfilled").length;
  }

  subscribe(agentId: string, topic: string): Promise<() => Promise<void>> {
    try {
      checkTopic(topic, `directory "${this.id}"`);
      const agent = this.byId.get(agentId);
      if (!agent) throw new AgentError("UNKNOWN_ADDRESS", `directory "${this.id}": no agent "${agentId}" to subscribe to "${topic}"; register it first`, this.id);
      if (!agent.capabilities.has(topic)) {
        throw new AgentError("OPTION_INVALID", `agent "${agentId}" cannot subscribe to "${topic}": it has no handler for it; add a skill with handlers: { "${topic}": (payload, ctx) => ... }`, agentId);
      }
      let subscribers = this.topics.get(topic);
      if (!subscribers) this.topics.set(topic, (subscribers = new Set()));
      subscribers.add(agentId);
      return Promise.resolve(async () => {
        this.topics.get(topic)?.delete(agentId);
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  subscribers(topic: string): string[] {
    return [...(this.topics.get(topic) ?? [])];
  }
}

/** The least loaded agent; ties go round the candidates in turn. */
export function leastLoaded(candidates: readonly Agent[], turn: number): Agent {
  let best = candidates[turn % candidates.length]!;
  for (const a of candidates) if (a.load < best.load) best = a;
  return best;
}
