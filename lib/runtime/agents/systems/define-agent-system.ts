// An agent system declared as data: named groups of agents (a role and skills, and how many of
// them), the supervision rules they run under (restart intensity and backoff, the same in one
// process and across processes), and how often a message is delivered again after a crash. A
// file of the programs folder default-exports one; the runtime starts it at boot, in-process or
// placed on the workers of a cluster.
import { z } from "zod";
import type { JsonValue, LMSettings } from "../../../dspex";
import { SupervisorFlagsSchema, type SupervisorFlagsInput } from "../../supervisor";
import type { Action } from "../action";
import { AgentError } from "../errors";
import type { MailboxOptions } from "../mailbox";
import { mountSkills, type Skill } from "../skill";
import type { RoleSpec } from "../types";

const SYSTEM = Symbol.for("dspex.agent-system");
const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const GROUP = /^[A-Za-z][\w-]{0,62}$/;

/** A group of identical agents: ids `<group>-0`, `<group>-1`, ...; each answers to the group's name. */
export interface AgentGroupSpec {
  /** How many agents (default 1); the dashboard and the API can scale it. */
  readonly count?: number;
  readonly role?: RoleSpec;
  /** Skills, or names of skills installed in the registry (programs folder or a skill package from the marketplace). */
  readonly skills?: ReadonlyArray<Skill | string>;
  /** Actions, or names of installed actions. */
  readonly actions?: ReadonlyArray<Action | string>;
  /** Topics every agent of the group subscribes to (each needs a handler of that name). */
  readonly topics?: readonly string[];
  readonly settings?: LMSettings;
  readonly variables?: Readonly<Record<string, JsonValue>>;
}

export interface AgentSystemSpec {
  /** Lowercase letters, digits, "-" and "_" (the file should be programs/<name>.ts). */
  readonly name: string;
  readonly description?: string;
  readonly agents: Readonly<Record<string, AgentGroupSpec>>;
  /**
   * What a call to the system (the HTTP API's POST /agent-systems/<name>/call) is sent to:
   * a group name, or a capability. Default: the first group.
   */
  readonly entry?: string;
  /** Restart intensity (per period) and backoff for the system's agents, wherever they run (default: intensity 10 per 10 s, backoff from 100 ms). */
  readonly flags?: SupervisorFlagsInput;
  /** How many times a message is handed to an agent before its sender gets AGENT_CRASHED (default 3). */
  readonly maxDeliveries?: number;
  readonly mailbox?: MailboxOptions;
  /** How long a handler's ctx.ask waits for a reply by default (30 s). */
  readonly askTimeoutMs?: number;
}

export interface AgentSystemDefinition extends Omit<AgentSystemSpec, "flags"> {
  readonly [SYSTEM]: true;
  readonly description: string;
  readonly entry: string;
  readonly flags: SupervisorFlagsInput;
  readonly maxDeliveries: number;
  /** Capabilities of each group's agents (its name, skills, actions, handled types, "run" with a role). */
  readonly capabilities: Readonly<Record<string, readonly string[]>>;
}

export const DEFAULT_SYSTEM_FLAGS: SupervisorFlagsInput = { intensity: 10, periodMs: 10_000, backoff: { initialMs: 100, maxMs: 5_000, factor: 2, jitter: 0.2 } };

const CountSchema = z.number().int().min(0).max(1000);

export function isAgentSystem(value: unknown): value is AgentSystemDefinition {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SYSTEM] === true;
}

/** Checks a declared agent system at once, so a mistake is reported with its file at start-up. */
export function defineAgentSystem(spec: AgentSystemSpec): AgentSystemDefinition {
  const fail = (field: string, message: string): never => {
    throw new AgentError("OPTION_INVALID", `defineAgentSystem "${String(spec?.name)}": "${field}" ${message}`, String(spec?.name));
  };
  if (typeof spec?.name !== "string" || !NAME.test(spec.name)) fail("name", `must be lowercase letters, digits, "-" and "_" (got ${JSON.stringify(spec?.name)})`);
  if (typeof spec.agents !== "object" || spec.agents === null || Object.keys(spec.agents).length === 0) fail("agents", 'must name at least one group, e.g. { worker: { count: 2, skills: [...] } }');
  const capabilities: Record<string, readonly string[]> = {};
  for (const [group, g] of Object.entries(spec.agents)) {
    if (!GROUP.test(group)) fail(`agents.${group}`, 'group names start with a letter and hold letters, digits, "_" and "-"');
    if (g.count !== undefined && !CountSchema.safeParse(g.count).success) fail(`agents.${group}.count`, `must be a whole number from 0 to 1000 (got ${JSON.stringify(g.count)})`);
    let mounted;
    try {
      mounted = mountSkills(`group "${group}"`, objects(g.skills), objects(g.actions));
    } catch (err) {
      fail(`agents.${group}.skills`, err instanceof Error ? err.message : String(err));
    }
    // Names of installed skills and actions stand for themselves until the system is resolved against the registry.
    const caps = new Set([group, ...mounted!.capabilities, ...names(g.skills), ...names(g.actions)]);
    if (g.role) caps.add("run").add(g.role.name);
    for (const topic of g.topics ?? []) if (!caps.has(topic) && names(g.skills).length === 0) fail(`agents.${group}.topics`, `"${topic}" has no handler in the group's skills`);
    capabilities[group] = Object.freeze([...caps]);
  }
  for (const [group, caps] of Object.entries(capabilities)) {
    const clash = caps.find((c) => c !== group && c in spec.agents);
    if (clash !== undefined) fail(`agents.${group}`, `handles "${clash}", which is the name of another group; rename the handler or the group`);
  }
  const entry = spec.entry ?? Object.keys(spec.agents)[0]!;
  const answering = Object.entries(spec.agents).filter(([group, g]) => entryType(group, g, entry) !== undefined || names(g.skills).length > 0);
  if (answering.length === 0) fail("entry", `"${entry}" must be a group with a role, or a message type (handler or action) of some group`);
  const flags = spec.flags ?? DEFAULT_SYSTEM_FLAGS;
  const parsedFlags = SupervisorFlagsSchema.safeParse(flags);
  if (!parsedFlags.success) fail(`flags.${parsedFlags.error!.issues[0]!.path.join(".")}`, parsedFlags.error!.issues[0]!.message);
  const maxDeliveries = spec.maxDeliveries ?? 3;
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) fail("maxDeliveries", `must be a positive whole number (got ${JSON.stringify(spec.maxDeliveries)})`);
  return Object.freeze({ ...spec, description: spec.description ?? "", entry, flags, maxDeliveries, capabilities: Object.freeze(capabilities), [SYSTEM]: true as const });
}

/** The message type a group's agents get for a call to `entry`, or undefined when they do not answer it. */
function entryType(group: string, g: AgentGroupSpec, entry: string): string | undefined {
  if (g.role && (entry === group || entry === g.role.name)) return "run";
  if (names(g.actions).includes(entry)) return entry;
  const mounted = mountSkills(`group "${group}"`, objects(g.skills), objects(g.actions));
  return mounted.handlers.has(entry) || mounted.actions.has(entry) ? entry : undefined;
}

const objects = <T>(list: ReadonlyArray<T | string> | undefined): T[] => (list ?? []).filter((x): x is T => typeof x !== "string");
const names = (list: ReadonlyArray<unknown> | undefined): string[] => (list ?? []).filter((x): x is string => typeof x === "string");

/** Whether the system names installed skills or actions it must be resolved against. */
export function hasReferences(def: AgentSystemDefinition): boolean {
  return Object.values(def.agents).some((g) => names(g.skills).length > 0 || names(g.actions).length > 0);
}

/** Where names of installed skills and actions are looked up. */
export interface SkillLookup {
  skill(name: string): Skill | undefined;
  action(name: string): Action | undefined;
}

/** The system with every named skill and action replaced by the installed one (and checked again in full). */
export function resolveAgentSystem(def: AgentSystemDefinition, lookup: SkillLookup): AgentSystemDefinition {
  if (!hasReferences(def)) return def;
  const agents: Record<string, AgentGroupSpec> = {};
  for (const [group, g] of Object.entries(def.agents)) {
    const skills = (g.skills ?? []).map((s) => {
      if (typeof s !== "string") return s;
      const found = lookup.skill(s);
      if (!found) throw new AgentError("SKILL_INVALID", `agent system "${def.name}": "agents.${group}.skills" names "${s}", which is not installed (no such skill in the programs folder or an installed skill package)`, def.name);
      return found;
    });
    const actions = (g.actions ?? []).map((a) => {
      if (typeof a !== "string") return a;
      const found = lookup.action(a);
      if (!found) throw new AgentError("SKILL_INVALID", `agent system "${def.name}": "agents.${group}.actions" names "${a}", which is not installed`, def.name);
      return found;
    });
    agents[group] = { ...g, skills, actions };
  }
  const { capabilities: _capabilities, ...spec } = def;
  return defineAgentSystem({ ...spec, agents });
}

/** The skills of a resolved group (names left over mean the system was not resolved). */
export function groupSkills(def: AgentSystemDefinition, group: string): { skills: Skill[]; actions: Action[] } {
  const g = def.agents[group]!;
  if (names(g.skills).length || names(g.actions).length) throw new AgentError("OPTION_INVALID", `agent system "${def.name}" names installed skills; resolve it against the registry first (resolveAgentSystem)`, def.name);
  return { skills: objects(g.skills), actions: objects(g.actions) };
}

/** What a call to the system is: a message of this type to the least loaded agent with this capability. */
export function entryMessage(def: AgentSystemDefinition): { readonly capability: string; readonly type: string } {
  for (const [group, g] of Object.entries(def.agents)) {
    const type = entryType(group, g, def.entry);
    if (type !== undefined) return { capability: def.entry, type };
  }
  throw new AgentError("OPTION_INVALID", `agent system "${def.name}": no group answers its entry "${def.entry}"`, def.name);
}

/** Agents per group: the definition's counts, overridden by a scale (from the dashboard or the API). */
export function groupCounts(def: AgentSystemDefinition, scale: Readonly<Record<string, number>> = {}): Record<string, number> {
  return Object.fromEntries(Object.entries(def.agents).map(([group, g]) => [group, scale[group] ?? g.count ?? 1]));
}

/** Every agent the system should run: id, group. */
export function agentSlots(def: AgentSystemDefinition, scale: Readonly<Record<string, number>> = {}): Array<{ readonly id: string; readonly group: string }> {
  return Object.entries(groupCounts(def, scale)).flatMap(([group, n]) => Array.from({ length: n }, (_, i) => ({ id: `${group}-${i}`, group })));
}

/** The group of an agent id of this system, if any (`<group>-<n>`). */
export function groupOf(def: AgentSystemDefinition, agentId: string): string | undefined {
  const cut = agentId.lastIndexOf("-");
  const group = cut > 0 ? agentId.slice(0, cut) : undefined;
  return group !== undefined && group in def.agents && /^\d+$/.test(agentId.slice(cut + 1)) ? group : undefined;
}

/** Checks a requested scale: known groups, whole counts within bounds. */
export function checkScale(def: AgentSystemDefinition, scale: Readonly<Record<string, number>>): void {
  for (const [group, n] of Object.entries(scale)) {
    if (!(group in def.agents)) throw new AgentError("OPTION_INVALID", `agent system "${def.name}" has no group "${group}"; groups: ${Object.keys(def.agents).join(", ")}`, def.name);
    if (!CountSchema.safeParse(n).success) throw new AgentError("OPTION_INVALID", `agent system "${def.name}": agents of "${group}" must be a whole number from 0 to 1000 (got ${JSON.stringify(n)})`, def.name);
  }
}
