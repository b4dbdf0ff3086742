// Multi-agent optimization: a team described as a program (TeamProgram), so that the variables of
// every member (model, instructions, demos, temperature) and each member's team size form ONE
// VariableSpace, namespaced by member ("coder.temperature", "coder.size"), searched by the
// existing optimizers against a team-level metric and budget. Each run of a TeamProgram starts
// the configured agents under a supervisor, lets `coordinate` use them (any pattern), and stops them.
import {
  GeneticSampler,
  Module,
  RandomSampler,
  SamplerSearch,
  TpeSampler,
  discoverSpace,
  runOptimization,
  tunable,
  type Budget,
  type DiscoverOptions,
  type Example,
  type LM,
  type Metric,
  type OptimizationReport,
  type RunContext,
  type Sampler,
  type Signature,
  type Values,
  type VariableSpace,
} from "../../dspex";
import { isTunable } from "../../dspex";
import { startSupervisor } from "../supervisor";
import { startAgent, type Agent } from "./agent";
import { AgentError } from "./errors";
import { createTeam, type Team } from "./team";

export interface TeamMemberSpec {
  /** The member's role: a Predict or ChainOfThought (its variables are the member's). */
  readonly role: Module;
  /** Agents playing this role; a range makes the size a variable "<member>.size" (default 1, fixed). */
  readonly size?: number | { readonly low: number; readonly high: number; readonly default: number };
}

/** The running team a TeamProgram's `coordinate` works with. */
export interface RunningTeam {
  readonly team: Team;
  /** The agents of one member (capability: the member's name). */
  agents(member: string): readonly Agent[];
}

export interface TeamProgramSpec<I extends Values, O extends Values> {
  readonly name: string;
  readonly members: Readonly<Record<string, TeamMemberSpec>>;
  readonly signature?: Signature<I, O>;
  /** How the team solves one input: dispatch to members by name, or use a pattern (vote, pipeline, ...). */
  coordinate(team: RunningTeam, inputs: I, ctx: RunContext): Promise<O>;
}

const SPEC = Symbol("teamSpec");
const sizeKey = (member: string) => `${member}.size`;

/** A team as a Module: members are its children, sizes are tunables, forward runs the agents. */
export class TeamProgram<I extends Values = Values, O extends Values = Values> extends Module<I, O> {
  declare readonly [SPEC]: TeamProgramSpec<I, O>;

  constructor(spec: TeamProgramSpec<I, O>) {
    super();
    Object.defineProperty(this, SPEC, { value: spec, enumerable: true });
    const self = this as unknown as Record<string, unknown>;
    for (const [member, m] of Object.entries(spec.members)) {
      if (!/^[A-Za-z]\w*$/.test(member)) throw new AgentError("OPTION_INVALID", `teamProgram "${spec.name}": member name "${member}" must be an identifier such as "coder"`, spec.name);
      self[member] = m.role;
      const size = m.size ?? 1;
      if (typeof size === "object") self[sizeKey(member)] = tunable.int({ low: size.low, high: size.high, default: size.default });
      else if (!Number.isInteger(size) || size < 1) throw new AgentError("OPTION_INVALID", `teamProgram "${spec.name}": size of "${member}" must be a positive integer or { low, high, default } (got ${String(size)})`, spec.name);
    }
  }

  override get kind(): string {
    return this[SPEC].name;
  }

  /** Agents per member in this configuration. */
  sizes(): Record<string, number> {
    const self = this as unknown as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(this[SPEC].members).map(([member, m]) => {
        const t = self[sizeKey(member)];
        return [member, isTunable(t) ? Number(t.value) : typeof m.size === "number" ? m.size : 1];
      }),
    );
  }

  async forward(inputs: I, ctx: RunContext): Promise<O> {
    const spec = this[SPEC];
    const self = this as unknown as Record<string, Module>;
    const supervisor = await startSupervisor({ path: `team:${spec.name}`, flags: { intensity: 100 } });
    const team = createTeam({ name: spec.name });
    const byMember = new Map<string, Agent[]>();
    const { lm, settings, adapter, fallbackAdapter, rolloutId, maxRetries } = ctx;
    const context = { ...(adapter && { adapter }), ...(fallbackAdapter !== undefined && { fallbackAdapter }), ...(rolloutId !== undefined && { rolloutId }), ...(maxRetries !== undefined && { maxRetries }) };
    try {
      for (const [member, size] of Object.entries(this.sizes())) {
        const agents: Agent[] = [];
        for (let i = 0; i < size; i++) {
          const agent = await startAgent({ name: member, id: `${member}-${i}`, supervisor, role: { name: member, module: self[member]! }, lm, context, ...(settings && { settings }) });
          agents.push(agent);
          team.join(agent);
        }
        byMember.set(member, agents);
      }
      return await spec.coordinate({ team, agents: (m) => byMember.get(m) ?? [] }, inputs, ctx);
    } finally {
      await supervisor.stop();
    }
  }
}

export function teamProgram<I extends Values, O extends Values>(spec: TeamProgramSpec<I, O>): TeamProgram<I, O> {
  return new TeamProgram(spec);
}

export interface OptimizeTeamOptions<I extends Values, O extends Values> {
  readonly program: TeamProgram<I, O>;
  readonly trainset: readonly Example[];
  readonly valset: readonly Example[];
  /** The team-level metric: scores the team's final output. */
  readonly metric: Metric;
  readonly lm: LM;
  /** "tpe" (default), "genetic", "random", or any Sampler. */
  readonly sampler?: "tpe" | "genetic" | "random" | Sampler;
  /** Trials (default 20). */
  readonly trials?: number;
  readonly budget?: Budget;
  readonly seed?: number;
  /** How member variables are discovered (models to choose from, temperature range, ...). */
  readonly discover?: DiscoverOptions;
  /** The space to search; default: teamSpace(program, discover). */
  readonly space?: VariableSpace;
  readonly concurrency?: number;
}

/** Every member's variables plus the team sizes, in one space. */
export function teamSpace(program: TeamProgram, options: DiscoverOptions = {}): VariableSpace {
  return discoverSpace(program, options);
}

function samplerOf(choice: OptimizeTeamOptions<Values, Values>["sampler"]): Sampler {
  if (choice === undefined || choice === "tpe") return new TpeSampler({ nStartupTrials: 5 });
  if (choice === "genetic") return new GeneticSampler();
  if (choice === "random") return new RandomSampler();
  return choice;
}

/** Searches the team's one space with a sampler over the shared trial protocol (runOptimization). */
export function optimizeTeam<I extends Values, O extends Values>(options: OptimizeTeamOptions<I, O>): Promise<OptimizationReport<TeamProgram<I, O>>> {
  return runOptimization({
    optimizer: new SamplerSearch({ sampler: samplerOf(options.sampler), trials: options.trials ?? 20 }),
    program: options.program,
    space: options.space ?? teamSpace(options.program, options.discover),
    trainset: options.trainset,
    valset: options.valset,
    metric: options.metric,
    lm: options.lm,
    seed: options.seed ?? 0,
    ...(options.budget && { budget: options.budget }),
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
  });
}
