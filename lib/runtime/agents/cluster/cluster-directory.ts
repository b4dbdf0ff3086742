// A system's directory across processes: messages go into Redis streams (bounded: a full mailbox
// makes the sender wait or fail), replies come back on the sender's reply stream. With a trace,
// the sender opens the message's span and the receiving node sends the handler's spans back.
import { randomUUID } from "node:crypto";
import { AgentError, isAgentError } from "../errors";
import { checkTopic, type Address } from "../messaging/address";
import type { AgentDirectory, RouteOptions } from "../messaging/directory";
import { endMessageSpan, startMessageSpan } from "../messaging/message-span";
import type { AgentSystemDefinition } from "../systems/define-agent-system";
import { groupOf } from "../systems/define-agent-system";
import type { AgentMessage } from "../types";
import type { NodeContext } from "./node-context";
import type { PendingReplies } from "./replies";
import { enqueue } from "./streams";
import { destinationOf } from "./system-streams";
import type { WireMessage } from "./wire";

export class ClusterDirectory implements AgentDirectory {
  readonly id: string;

  constructor(
    private readonly ctx: NodeContext,
    private readonly def: AgentSystemDefinition,
    private readonly replies: PendingReplies,
    private readonly scale: () => Readonly<Record<string, number>>,
  ) {
    this.id = def.name;
  }

  /** Reachability across processes comes from placement, not registration. */
  register(): () => void {
    return () => undefined;
  }

  ask<R = unknown>(to: Address, message: AgentMessage, options: RouteOptions = {}): Promise<R> {
    return this.post<R>(to, message, options, true) as Promise<R>;
  }

  async send(to: Address, message: AgentMessage, options: RouteOptions = {}): Promise<void> {
    await this.post(to, message, options, false);
  }

  async publish(topic: string, payload: unknown, options: RouteOptions = {}): Promise<number> {
    checkTopic(topic, `agent system "${this.def.name}"`);
    const members = (await this.ctx.redis.smembers(this.ctx.keys.topic(this.def.name, topic))).filter((id) => id !== options.from).sort();
    const sent = await Promise.allSettled(members.map((id) => this.post(id, { type: topic, payload }, { ...options, topic }, false)));
    const refused = sent.find((s): s is PromiseRejectedResult => s.status === "rejected" && !isAgentError(s.reason, "UNKNOWN_ADDRESS") && !isAgentError(s.reason, "MAILBOX_FULL"));
    if (refused) throw refused.reason;
    return sent.filter((s) => s.status === "fulfilled").length;
  }

  async subscribe(agentId: string, topic: string): Promise<() => Promise<void>> {
    checkTopic(topic, `agent system "${this.def.name}"`);
    const group = groupOf(this.def, agentId);
    if (group === undefined) throw new AgentError("UNKNOWN_ADDRESS", `agent system "${this.def.name}": no agent "${agentId}" to subscribe to "${topic}"`, this.def.name);
    if (!this.def.capabilities[group]!.includes(topic)) {
      throw new AgentError("OPTION_INVALID", `agent "${agentId}" cannot subscribe to "${topic}": it has no handler for it; add a skill with handlers: { "${topic}": (payload, ctx) => ... }`, agentId);
    }
    const key = this.ctx.keys.topic(this.def.name, topic);
    await this.ctx.redis.sadd(key, agentId);
    return async () => void (await this.ctx.redis.srem(key, agentId));
  }

  private async post<R>(to: Address, message: AgentMessage, options: RouteOptions & { readonly topic?: string }, replies: boolean): Promise<R | undefined> {
    if (typeof message?.type !== "string" || message.type.length === 0) {
      throw new AgentError("MESSAGE_INVALID", `agent system "${this.def.name}": a message needs a type, e.g. { type: "run", payload: inputs }`, this.def.name);
    }
    const dest = destinationOf(this.ctx.keys, this.def, this.scale(), to, options.from);
    const id = randomUUID();
    const span = options.trace
      ? startMessageSpan(options.trace, { type: message.type, to: { id: dest.label, name: dest.label }, mode: replies ? "ask" : options.topic !== undefined ? "publish" : "send", payload: message.payload, ...(options.from !== undefined && { from: options.from }), ...(options.topic !== undefined && { topic: options.topic }) })
      : undefined;
    const deadline = replies && options.timeoutMs !== undefined ? Date.now() + options.timeoutMs : undefined;
    const wire: WireMessage = {
      id,
      type: message.type,
      ...(message.payload !== undefined && { payload: message.payload }),
      ...(options.from !== undefined && { from: options.from }),
      ...((replies || span) && { replyTo: this.ctx.nodeId }),
      ...(deadline !== undefined && { deadline }),
      ...(span && { span: span.spanId }),
      ...(options.topic !== undefined && { topic: options.topic }),
    };
    let text: string;
    try {
      text = JSON.stringify(wire);
    } catch (err) {
      const error = new AgentError("MESSAGE_INVALID", `agent system "${this.def.name}": the payload of "${message.type}" cannot be sent to another process: ${err instanceof Error ? err.message : String(err)}`, this.def.name);
      if (span) endMessageSpan(span, { ok: false, error });
      throw error;
    }
    const owner = `agent system "${this.def.name}" (${dest.label})`;
    const send = () => enqueue(this.ctx.redis, dest.stream, text, { capacity: dest.capacity, owner, ...(options.overflow && { overflow: options.overflow }), ...(options.signal && { signal: options.signal }), ...(deadline !== undefined && { deadline }) });
    if (!replies) {
      if (span) this.replies.expectReport(id, dest.label, span);
      try {
        await send();
      } catch (error) {
        this.replies.fail(id, error);
        throw error;
      }
      return undefined;
    }
    return new Promise<R>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = () => this.giveUp(id, signal?.reason);
      this.replies.expect(id, {
        label: dest.label,
        ...(span && { span }),
        resolve: (v) => (signal?.removeEventListener("abort", onAbort), resolve(v as R)),
        reject: (e) => (signal?.removeEventListener("abort", onAbort), reject(e)),
      });
      if (deadline !== undefined) {
        const timer = setTimeout(() => this.giveUp(id, new AgentError("TASK_TIMEOUT", `${owner}: no reply to "${message.type}" within ${options.timeoutMs} ms; its late reply will be discarded`, dest.label)), Math.max(0, deadline - Date.now()));
        this.replies.setTimer(id, timer);
      }
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
      send().catch((error: unknown) => this.replies.fail(id, error));
    });
  }

  /** The sender stops waiting: fail the wait and tell the node handling it to cancel the work. */
  private giveUp(id: string, reason: unknown): void {
    this.replies.fail(id, reason);
    void this.ctx.announce({ kind: "cancel", id, reason: reason instanceof Error ? reason.message : String(reason) }).catch(() => undefined);
  }
}
