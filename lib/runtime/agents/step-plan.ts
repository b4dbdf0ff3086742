// How toAgentSystem cuts a program into steps: each named sub-module down to `depth` levels is a
// step served by a pool of agents. A step that has sub-modules of its own (and is above the
// depth) runs as a coordinator inside its agent: its sub-modules are proxies, so calling one
// sends a message from that agent to the sub-step's pool (agent to agent). Every call through a
// proxy is a message span in the caller's trace; the step's own spans nest below it.
import { Module, toContext, type ContextLike, type RunContext, type Values } from "../../dspex";
import { AgentError, isAgentError } from "./errors";
import type { AgentContext } from "./types";
import type { Team } from "./team";

export interface StepPayload {
  readonly inputs: Values;
  readonly ctx: RunContext;
}

export interface Step {
  /** The dotted path in the program ("" when the program is itself the only step). */
  readonly path: string;
  /** What the step's agents run: the sub-module, with its own sub-steps as proxies. */
  module: Module;
  /** Paths of the step's module and everything below it, for the trace. */
  paths?: ReadonlyMap<object, string>;
}

export const capabilityOf = (step: string) => `step:${step || "root"}`;

/** One step as its caller sees it: calling it sends the call to the step's pool. */
export class StepProxy extends Module {
  constructor(
    readonly step: string,
    private readonly team: Team,
  ) {
    super();
  }

  override get kind(): string {
    return `agents(${this.step || "root"})`;
  }

  forward(): Promise<Values> {
    return Promise.reject(new AgentError("OPTION_INVALID", `step "${this.step}" runs on agents; call run(inputs, ctx)`));
  }

  override async run(inputs: Values, context: ContextLike): Promise<Values> {
    const ctx = toContext(context);
    const trace = ctx.tracer ? { tracer: ctx.tracer, ...(ctx.parentSpanId !== undefined && { parentSpanId: ctx.parentSpanId }) } : undefined;
    try {
      const result = await this.team.dispatch<Values>({ capability: capabilityOf(this.step), payload: { inputs, ctx } satisfies StepPayload }, { ...(ctx.signal && { signal: ctx.signal }), ...(trace && { trace }) });
      return result.output;
    } catch (error) {
      throw rootCause(error);
    }
  }
}

/** The step's own error (what the direct program would throw), not the team's wrapping of it. */
function rootCause(error: unknown): unknown {
  let e = error;
  while (isAgentError(e) && (e.code === "TASK_FAILED" || e.code === "AGENT_CRASHED") && e.cause !== undefined) e = e.cause;
  return e;
}

/** The program's steps in tree order (parents first) and the coordinator that calls the top ones. */
export function planSteps(program: Module, depth: number, team: Team): { readonly coordinator: Module; readonly steps: readonly Step[] } {
  const steps: Step[] = [];
  const agentModule = (module: Module, path: string, level: number): Module => {
    if (level >= depth) return module;
    let out = module;
    for (const [name, child] of module.children()) {
      const childPath = path ? `${path}.${name}` : name;
      const step: Step = { path: childPath, module: child };
      steps.push(step);
      step.module = agentModule(child, childPath, level + 1);
      out = out.replace(name, new StepProxy(childPath, team));
    }
    return out;
  };
  if (program.children().length === 0) {
    steps.push({ path: "", module: program });
    return { coordinator: new StepProxy("", team), steps };
  }
  return { coordinator: agentModule(program, "", 0), steps };
}

/** Paths of a step's module tree, prefixed with the step's path, so its spans carry program paths. */
function pathsOf(step: Step): ReadonlyMap<object, string> {
  if (!step.paths) {
    const join = (p: string) => (step.path ? `${step.path}.${p}` : p);
    step.paths = new Map<object, string>([[step.module, step.path], ...step.module.namedModules().map(([p, m]) => [m, join(p)] as const)]);
  }
  return step.paths;
}

/** Runs a step's module for a message: under the message's span, cancelled with the message. */
export function runStep(step: Step, payload: StepPayload, actx: AgentContext): Promise<Values> {
  const { tracer: _tracer, parentSpanId: _parent, ...ctx } = payload.ctx;
  const traced = actx.trace ? { tracer: actx.trace.tracer, ...(actx.trace.parentSpanId !== undefined && { parentSpanId: actx.trace.parentSpanId }) } : {};
  return step.module.run(payload.inputs, { ...ctx, ...traced, signal: actx.signal, paths: pathsOf(step), path: step.path });
}
