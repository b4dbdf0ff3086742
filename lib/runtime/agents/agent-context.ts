// What a handler sees (AgentContext) and which code answers a message: a skill's handler for its
// type, else the action of that name, else the role for "run".
import type { Module, RunContext, Values } from "../../dspex";
import { performAction } from "./action";
import { AgentError } from "./errors";
import type { Mounted } from "./skill";
import type { AgentContext, AgentMessage, AgentStateName } from "./types";

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
}

const NO_VARIABLES = Object.freeze({});

export function handlerContext(agent: AgentInfo, options: ContextOptions, mounted: Mounted, signal: AbortSignal, type: string, setState: (state: AgentStateName) => void): AgentContext {
  const runContext: RunContext | undefined = options.lm ? { ...options.context, lm: options.lm, ...(options.settings && { settings: options.settings }), signal } : undefined;
  return {
    agent: { id: agent.id, name: agent.name, role: agent.role },
    type,
    signal,
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
    async wait<T>(promise: Promise<T>): Promise<T> {
      setState("waiting");
      try {
        return await promise;
      } finally {
        setState("busy");
      }
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
