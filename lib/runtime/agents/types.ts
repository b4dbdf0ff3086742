// The data agents work with: messages, the handler context, roles and the state they publish.
import type { z } from "zod";
import type { LM, LMSettings, Module, RunContext, Signature, ToolOutcome, Values } from "../../dspex";
import type { JsonValue } from "../../dspex";
import type { AgentStateSchema } from "../../schemas";
import type { Address } from "./messaging/address";
import type { TraceContext } from "./messaging/message-span";

/** A message to an agent: `type` selects the handler ("run" runs the role; an action's name performs it). */
export interface AgentMessage<P = unknown> {
  readonly type: string;
  readonly payload?: P;
}

export type AgentStateName = "idle" | "busy" | "waiting" | "restarting" | "stopped";

/** The payload of an "agent:state" event. */
export type AgentStateEvent = z.infer<typeof AgentStateSchema>;

/** Where agent:state events go (e.g. `(s) => bus.emit("agent:state", s)`); called at most once per throttle interval per agent. */
export type PublishAgentState = (event: AgentStateEvent) => void;

/**
 * An agent's role: a signature and instructions made into a module (Predict by default,
 * ChainOfThought on request), or a module given as is.
 */
export type RoleSpec =
  | { readonly name: string; readonly signature: Signature | string; readonly instructions?: string; readonly module?: "predict" | "chain-of-thought" }
  | { readonly name: string; readonly module: Module };

/** Options of a message one agent sends another through the system's directory. */
export interface MessageOptions {
  /** ask: reject with TASK_TIMEOUT after this long (default: the agent's askTimeoutMs, 30 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** When the receiver's mailbox is full: wait for room (default) or fail with MAILBOX_FULL. */
  readonly overflow?: "wait" | "fail";
}

/** What a message handler gets besides the payload. */
export interface AgentContext {
  readonly agent: { readonly id: string; readonly name: string; readonly role: string };
  /** The message's type (one handler may serve several). */
  readonly type: string;
  /** The agent that sent the message, when one did. */
  readonly from?: string;
  /**
   * Aborted when the agent is stopped or killed while handling this message, or when its sender
   * stops waiting (timeout, abort): pass it on so cancellable work stops.
   */
  readonly signal: AbortSignal;
  /** The run this message belongs to: its tracer and the message's span (what the handler does nests below it). */
  readonly trace?: TraceContext;
  /** The agent's own variables (read-only). */
  readonly variables: Readonly<Record<string, JsonValue>>;
  readonly settings: LMSettings;
  /** The context the role runs in: the agent's LM and settings; undefined without an LM. */
  readonly runContext?: RunContext;
  /** The role module, when the agent has one. */
  readonly role?: Module;
  /** Runs the role on inputs with the agent's LM. */
  runRole(inputs: Values): Promise<Values>;
  /** Performs one of the agent's actions; errors come back as data. */
  perform(action: string, input: unknown): Promise<ToolOutcome>;
  /** Awaits something outside the agent (another agent's reply, a human) in state "waiting". */
  wait<T>(promise: Promise<T>): Promise<T>;
  /** Asks another agent of the system (by id, name or capability) and awaits its reply in state "waiting". */
  ask<R = unknown>(to: Address, message: AgentMessage, options?: MessageOptions): Promise<R>;
  /** Sends another agent of the system a message; resolves once it is in that agent's mailbox. */
  send(to: Address, message: AgentMessage, options?: MessageOptions): Promise<void>;
  /** Publishes on a topic: every other subscriber gets `{ type: topic, payload }`; resolves with how many got it. */
  publish(topic: string, payload?: unknown, options?: MessageOptions): Promise<number>;
  /** Subscribes this agent to a topic (it needs a handler named like the topic); returns the unsubscribe. */
  subscribe(topic: string): Promise<() => Promise<void>>;
  /** The LM of the agent, if any. */
  readonly lm?: LM;
}
