// toAgentSystem: a program's module tree as supervised agents. Each named sub-module (the direct
// children of the program, or the program itself when it has none; with `depth`, their
// sub-modules too) is a step served by a pool of agents. The program's own forward still decides
// the data flow: it runs as the coordinator, and every call it makes to a step becomes a message
// to that step's pool (round-robin or least-loaded); a nested step's agent, in turn, messages its
// sub-steps' agents. Inputs, outputs and results are those of `program.run(inputs, lm)`, and with
// a tracer every message is a span of the run.
import type { ContextLike, LM, Module, RunContext, Values } from "../../dspex";
import { systemClock, type Clock } from "../clock";
import { startSupervisor, type Supervisor, type SupervisorFlagsInput } from "../supervisor";
import { startAgent, type Agent, type AgentStats } from "./agent";
import { AgentError } from "./errors";
import type { MailboxOptions } from "./mailbox";
import { createDirectory, type LocalDirectory } from "./messaging/directory";
import { defineSkill } from "./skill";
import { capabilityOf, planSteps, runStep, type StepPayload } from "./step-plan";
import { createTeam, type Team } from "./team";
import type { PublishAgentState } from "./types";

export interface AgentSystemOptions {
  /** The LM steps call unless `run` is given a context of its own. */
  readonly lm: LM;
  /** Adapter, settings and the like for every run (the LM comes from `lm`). */
  readonly context?: Omit<RunContext, "lm">;
  /** How many levels of sub-modules become steps (default 1: the program's direct children; Infinity: every module). */
  readonly depth?: number;
  /** Agents per step by step path, e.g. { generate: 4, "answer.predict": 2 }; others get `poolSize`. */
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
  /** Step paths, in tree order, parents first ("" when the program is itself one step). */
  readonly steps: readonly string[];
  readonly agents: readonly Agent[];
  /** Where the system's agents find each other (by id, name or capability "step:<path>"). */
  readonly directory: LocalDirectory;
  /** The team the step agents belong to (capability = "step:<name>"). */
  readonly team: Team;
  readonly supervisor: Supervisor;
  /** Runs the program with its steps on the agents; `context` replaces the system's LM and context. */
  run(inputs: I, context?: ContextLike): Promise<O>;
  stats(): AgentSystemStats;
  stop(): Promise<void>;
}

let systemSeq = 0;

export async function toAgentSystem<I extends Values, O extends Values>(program: Module<I, O>, options: AgentSystemOptions): Promise<AgentSystem<I, O>> {
  if (!options?.lm || typeof options.lm.complete !== "function") {
    throw new AgentError("OPTION_INVALID", "toAgentSystem: options.lm is required, e.g. toAgentSystem(program, { lm: createLM() })");
  }
  const id = options.id ?? `${program.kind}-system-${++systemSeq}`;
  const depth = options.depth ?? 1;
  if (!(depth >= 1) || (Number.isFinite(depth) && !Number.isInteger(depth))) throw new AgentError("OPTION_INVALID", `toAgentSystem: depth must be a positive integer or Infinity (got ${String(options.depth)})`, id);
  const clock = options.clock ?? systemClock();
  const team = createTeam({ name: id, id, clock, balance: options.balance ?? "least-loaded", maxAttempts: options.maxAttempts ?? 1 });
  const { coordinator, steps } = planSteps(program, depth, team);
  const paths = steps.map((s) => s.path);
  const sizeOf = (step: string) => options.pools?.[step] ?? options.poolSize ?? 1;
  for (const step of paths) {
    const n = sizeOf(step);
    if (!Number.isInteger(n) || n < 1) throw new AgentError("OPTION_INVALID", `toAgentSystem: pool size of step "${step}" must be a positive integer (got ${String(n)})`, id);
  }
  const unknown = Object.keys(options.pools ?? {}).filter((k) => !paths.includes(k));
  if (unknown.length) throw new AgentError("OPTION_INVALID", `toAgentSystem: no step ${unknown.map((u) => `"${u}"`).join(", ")}; steps: ${paths.map((s) => `"${s}"`).join(", ")}`, id);

  const total = paths.reduce((n, s) => n + sizeOf(s), 0);
  const supervisor = await startSupervisor({ path: id, clock, flags: options.flags ?? { intensity: Math.max(10, total * 10) } });
  const directory = createDirectory({ id });
  const agents: Agent[] = [];
  const pools = new Map<string, Agent[]>();
  try {
    for (const step of steps) {
      const capability = capabilityOf(step.path);
      const skill = defineSkill({ name: capability, handlers: { [capability]: (payload, actx) => runStep(step, payload as StepPayload, actx) } });
      const pool: Agent[] = [];
      for (let i = 0; i < sizeOf(step.path); i++) {
        const agent = await startAgent({
          name: `${step.path || "root"}#${i}`,
          id: `${step.path || "root"}-${i}`,
          supervisor,
          directory,
          role: { name: step.path || program.kind, module: step.module },
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
      pools.set(step.path, pool);
    }
  } catch (error) {
    await supervisor.stop();
    throw error;
  }

  const base: RunContext = { ...options.context, lm: options.lm };
  let runs = 0;

  return {
    id,
    steps: paths,
    agents,
    directory,
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
