// toAgentSystem: a program's module tree as supervised agents. Each named sub-module (a direct
// child of the program, or the program itself when it has none) is a step served by a pool of
// agents. The program's own forward still decides the data flow: it runs as the coordinator,
// and every call it makes to a step becomes a message to that step's pool (round-robin or
// least-loaded), so inputs, outputs and results are those of `program.run(inputs, lm)`.
import { Module, toContext, type ContextLike, type LM, type RunContext, type Values } from "../../dspex";
import { systemClock, type Clock } from "../clock";
import { startSupervisor, type Supervisor, type SupervisorFlagsInput } from "../supervisor";
import { startAgent, type Agent, type AgentStats } from "./agent";
import { AgentError, isAgentError } from "./errors";
import type { MailboxOptions } from "./mailbox";
import { defineSkill } from "./skill";
import { createTeam, type Team } from "./team";
import type { PublishAgentState } from "./types";

export interface AgentSystemOptions {
  /** The LM steps call unless `run` is given a context of its own. */
  readonly lm: LM;
  /** Adapter, settings and the like for every run (the LM comes from `lm`). */
  readonly context?: Omit<RunContext, "lm">;
  /** Agents per step by step name, e.g. { generate: 4 }; others get `poolSize`. */
  readonly pools?: Readonly<Record<string, number>>;
  /** Default agents per step (default 1). */
  readonly poolSize?: number;
  /** How a step's pool shares its messages (default "least-loaded"). */
  readonly balance?: "least-loaded" | "round-robin";
  /** Attempts per step call across the pool (default 1: a failing step fails the run as the direct program would). */
  readonly maxAttempts?: number;
  readonly mailbox?: MailboxOptions;
  /** The system's id (agent:state systemId; default "<program kind>-system-<n>"). */
  readonly id?: string;
  readonly publish?: PublishAgentState;
  readonly publishIntervalMs?: number;
  /** Flags of the system's supervisor (default one_for_one, intensity 10 per agent per 5 s). */
  readonly flags?: SupervisorFlagsInput;
  readonly clock?: Clock;
}

export interface AgentSystemStats {
  readonly id: string;
  readonly runs: number;
  readonly steps: readonly { readonly step: string; readonly agents: readonly AgentStats[] }[];
}

export interface AgentSystem<I extends Values = Values, O extends Values = Values> {
  readonly id: string;
  /** Step names, in tree order ("" when the program is itself one step). */
  readonly steps: readonly string[];
  readonly agents: readonly Agent[];
  /** The team the step agents belong to (capability = "step:<name>"). */
  readonly team: Team;
  readonly supervisor: Supervisor;
  /** Runs the program with its steps on the agents; `context` replaces the system's LM and context. */
  run(inputs: I, context?: ContextLike): Promise<O>;
  stats(): AgentSystemStats;
  stop(): Promise<void>;
}

interface StepPayload {
  readonly inputs: Values;
  readonly ctx: RunContext;
}

let systemSeq = 0;
const capabilityOf = (step: string) => `step:${step || "root"}`;

/** One step as the coordinator sees it: calling it sends the call to the step's pool. */
class StepProxy extends Module {
  constructor(
    private readonly step: string,
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
    const path = ctx.paths?.get(this) ?? this.step;
    try {
      const result = await this.team.dispatch<Values>({ capability: capabilityOf(this.step), payload: { inputs, ctx: { ...ctx, path } } satisfies StepPayload }, ctx.signal ? { signal: ctx.signal } : {});
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

function stepsOf(program: Module): Array<readonly [string, Module]> {
  const children = program.children();
  return children.length ? [...children] : [["", program]];
}

export async function toAgentSystem<I extends Values, O extends Values>(program: Module<I, O>, options: AgentSystemOptions): Promise<AgentSystem<I, O>> {
  if (!options?.lm || typeof options.lm.complete !== "function") {
    throw new AgentError("OPTION_INVALID", "toAgentSystem: options.lm is required, e.g. toAgentSystem(program, { lm: createLM() })");
  }
  const id = options.id ?? `${program.kind}-system-${++systemSeq}`;
  const steps = stepsOf(program);
  const sizeOf = (step: string) => options.pools?.[step] ?? options.poolSize ?? 1;
  for (const [step] of steps) {
    const n = sizeOf(step);
    if (!Number.isInteger(n) || n < 1) throw new AgentError("OPTION_INVALID", `toAgentSystem: pool size of step "${step}" must be a positive integer (got ${String(n)})`, id);
  }
  const unknown = Object.keys(options.pools ?? {}).filter((k) => !steps.some(([s]) => s === k));
  if (unknown.length) throw new AgentError("OPTION_INVALID", `toAgentSystem: no step ${unknown.map((u) => `"${u}"`).join(", ")}; steps: ${steps.map(([s]) => `"${s}"`).join(", ")}`, id);

  const clock = options.clock ?? systemClock();
  const total = steps.reduce((n, [s]) => n + sizeOf(s), 0);
  const supervisor = await startSupervisor({ path: id, clock, flags: options.flags ?? { intensity: Math.max(10, total * 10) } });
  const team = createTeam({ name: id, id, clock, balance: options.balance ?? "least-loaded", maxAttempts: options.maxAttempts ?? 1 });
  const agents: Agent[] = [];
  const pools = new Map<string, Agent[]>();
  try {
    for (const [step, module] of steps) {
      const skill = defineSkill({
        name: capabilityOf(step),
        handlers: { [capabilityOf(step)]: (payload, actx) => {
          const { inputs, ctx } = payload as StepPayload;
          return module.run(inputs, ctx.signal ? ctx : { ...ctx, signal: actx.signal });
        } },
      });
      const pool: Agent[] = [];
      for (let i = 0; i < sizeOf(step); i++) {
        const agent = await startAgent({
          name: `${step || "root"}#${i}`,
          id: `${step || "root"}-${i}`,
          supervisor,
          role: { name: step || program.kind, module },
          skills: [skill],
          systemId: id,
          clock,
          ...(options.mailbox && { mailbox: options.mailbox }),
          ...(options.publish && { publish: options.publish }),
          ...(options.publishIntervalMs !== undefined && { publishIntervalMs: options.publishIntervalMs }),
        });
        pool.push(agent);
        agents.push(agent);
        team.join(agent);
      }
      pools.set(step, pool);
    }
  } catch (error) {
    await supervisor.stop();
    throw error;
  }

  let coordinator: Module = program;
  for (const [step] of steps) coordinator = step === "" ? new StepProxy("", team) : coordinator.replace(step, new StepProxy(step, team));
  const base: RunContext = { ...options.context, lm: options.lm };
  let runs = 0;

  return {
    id,
    steps: steps.map(([s]) => s),
    agents,
    team,
    supervisor,
    async run(inputs, context) {
      runs++;
      return (await coordinator.run(inputs, context ?? base)) as O;
    },
    stats() {
      return { id, runs, steps: [...pools].map(([step, pool]) => ({ step, agents: pool.map((a) => a.stats()) })) };
    },
    async stop() {
      await supervisor.stop();
      await Promise.all(agents.map((a) => a.stop()));
    },
  };
}
