// What a handler sees (AgentContext) and which code answers a message: a skill's handler for its
// type, else the action of that name, else the role for "run".
import type { Module, RunContext, Values } from "../../dspex";
import { performAction } from "./action";
import type { Envelope } from "./envelope";
import { AgentError } from "./errors";
import type { AgentDirectory } from "./messaging/directory";
import { childTrace } from "./messaging/message-span";
import type { Mounted } from "./skill";
import type { AgentContext, AgentMessage, AgentStateName, MessageOptions } from "./types";

interface AgentInfo {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly module?: Module;
}

interface ContextOptions {
  readonly lm?: RunContext["lm"];
  readonly settings?: RunContext["settings"];
  readonly context?: Omit<RunContext, "lm" | "settings" | "signal" | "tracer" | "paths" | "parentSpanId" | "path">;
  readonly variables?: AgentContext["variables"];
  readonly directory?: AgentDirectory;
  readonly askTimeoutMs?: number;
}

const DEFAULT_ASK_TIMEOUT_MS = 30_000;

const NO_VARIABLES = Object.freeze({});

export function handlerContext(agent: AgentInfo, options: ContextOptions, mounted: Mounted, envelope: Envelope, signal: AbortSignal, setState: (state: AgentStateName) => void): AgentContext {
  const trace = childTrace(envelope.span);
  const traced = trace ? { tracer: trace.tracer, ...(trace.parentSpanId !== undefined && { parentSpanId: trace.parentSpanId }) } : {};
  const runContext: RunContext | undefined = options.lm ? { ...options.context, lm: options.lm, ...(options.settings && { settings: options.settings }), signal, ...traced } : undefined;
  const wait = async <T>(promise: Promise<T>): Promise<T> => {
    setState("waiting");
    try {
      return await promise;
    } finally {
      setState("busy");
    }
  };
  const directory = (): AgentDirectory => {
    if (options.directory) return options.directory;
    throw new AgentError("OPTION_INVALID", `agent "${agent.id}" has no directory to reach other agents through; start it in an agent system or with directory: createDirectory()`, agent.id);
  };
  const route = (opts: MessageOptions = {}) => ({
    from: agent.id,
    ...(trace && { trace }),
    signal: opts.signal ? AbortSignal.any([signal, opts.signal]) : signal,
    ...(opts.overflow && { overflow: opts.overflow }),
  });
  return {
    agent: { id: agent.id, name: agent.name, role: agent.role },
    type: envelope.message.type,
    ...(envelope.from !== undefined && { from: envelope.from }),
    signal,
    ...(trace && { trace }),
    variables: options.variables ?? NO_VARIABLES,
    settings: options.settings ?? {},
    ...(runContext && { runContext, lm: runContext.lm }),
    ...(agent.module && { role: agent.module }),
    runRole(inputs: Values) {
      if (!agent.module) return Promise.reject(new AgentError("OPTION_INVALID", `agent "${agent.id}" has no role; start it with role: { name, signature }`, agent.id));
      if (!runContext) return Promise.reject(new AgentError("OPTION_INVALID", `agent "${agent.id}" has no LM; start it with lm`, agent.id));
      return agent.module.run(inputs, runContext);
    },
    perform(name: string, input: unknown) {
      const action = mounted.actions.get(name);
      if (!action) return Promise.resolve({ ok: false as const, error: `agent "${agent.id}" has no action "${name}"; actions: ${[...mounted.actions.keys()].join(", ") || "(none)"}` });
      return performAction(action, input, { signal });
    },
    wait,
    ask<R = unknown>(to: Parameters<AgentDirectory["ask"]>[0], message: AgentMessage, opts: MessageOptions = {}) {
      return wait(Promise.resolve().then(() => directory().ask<R>(to, message, { ...route(opts), timeoutMs: opts.timeoutMs ?? options.askTimeoutMs ?? DEFAULT_ASK_TIMEOUT_MS })));
    },
    send(to, message, opts) {
      return wait(Promise.resolve().then(() => directory().send(to, message, route(opts))));
    },
    publish(topic, payload, opts) {
      return wait(Promise.resolve().then(() => directory().publish(topic, payload, route(opts))));
    },
    subscribe(topic) {
      return Promise.resolve().then(() => directory().subscribe(agent.id, topic));
    },
  };
}

export type Route = { readonly kind: "run"; run(payload: unknown, ctx: AgentContext): Promise<unknown> } | { readonly kind: "unknown"; readonly error: AgentError };

export function routeMessage(agentId: string, mounted: Mounted, module: Module | undefined, message: AgentMessage): Route {
  const handler = mounted.handlers.get(message.type);
  if (handler) return { kind: "run", run: async (payload, ctx) => handler(payload, ctx) };
  const action = mounted.actions.get(message.type);
  if (action) return { kind: "run", run: (payload, ctx) => ctx.perform(action.name, payload) };
  if (message.type === "run" && module) return { kind: "run", run: (payload, ctx) => ctx.runRole(payload as Values) };
  const known = [...mounted.handlers.keys(), ...mounted.actions.keys(), ...(module ? ["run"] : [])];
  return { kind: "unknown", error: new AgentError("UNKNOWN_MESSAGE", `agent "${agentId}" does not handle "${message.type}"; it handles: ${known.join(", ") || "(nothing: give it a role or skills)"}`, agentId) };
}
