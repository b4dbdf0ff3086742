// The data agents work with: messages, the handler context, roles and the state they publish.
import type { z } from "zod";
import type { LM, LMSettings, Module, RunContext, Signature, ToolOutcome, Values } from "../../dspex";
import type { JsonValue } from "../../dspex";
import type { AgentStateSchema } from "../../schemas";

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

/** What a message handler gets besides the payload. */
export interface AgentContext {
  readonly agent: { readonly id: string; readonly name: string; readonly role: string };
  /** The message's type (one handler may serve several). */
  readonly type: string;
  /** Aborted when the agent is stopped or killed while handling this message. */
  readonly signal: AbortSignal;
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
  /** The LM of the agent, if any. */
  readonly lm?: LM;
}
