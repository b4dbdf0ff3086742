// A skill bundles actions with message handlers (message type -> handler) under one name, so it
// can be mounted on any agent: the agent then performs the actions and answers those messages.
import { z } from "zod";
import type { Action } from "./action";
import { AgentError } from "./errors";
import type { AgentContext } from "./types";

/** Answers one message type; what it returns is the reply. Throwing crashes the agent (it is restarted). */
export type MessageHandler<P = unknown, R = unknown> = (payload: P, ctx: AgentContext) => Promise<R> | R;

export interface SkillSpec {
  readonly name: string;
  readonly description?: string;
  readonly actions?: readonly Action[];
  readonly handlers?: Readonly<Record<string, MessageHandler>>;
}

export interface Skill {
  readonly name: string;
  readonly description?: string;
  readonly actions: readonly Action[];
  readonly handlers: Readonly<Record<string, MessageHandler>>;
}

const SKILL = Symbol.for("dspex.skill");
const NAME = /^[A-Za-z][\w.:-]*$/;

const SkillSpecSchema = z.object({
  name: z.string().regex(NAME, 'must start with a letter and hold only letters, digits, "_", ".", ":" or "-"'),
  description: z.string().optional(),
  actions: z
    .array(z.custom<Action>((a) => typeof a === "object" && a !== null && typeof (a as Action).name === "string" && typeof (a as Action).run === "function", { error: "must be defineAction({ name, input, output, run })" }))
    .optional(),
  handlers: z.record(z.string().regex(NAME, "message types must look like names"), z.custom<MessageHandler>((h) => typeof h === "function", { error: "must be a function (payload, ctx) => reply" })).optional(),
});

/** Validates a skill: a well-formed name, actions made with defineAction, unique action names, handlers as functions. */
export function defineSkill(spec: SkillSpec): Skill {
  const parsed = SkillSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AgentError("SKILL_INVALID", `defineSkill "${String(spec?.name)}": ${issue.path.join(".") || "spec"} ${issue.message}`, String(spec?.name));
  }
  const actions = spec.actions ?? [];
  const seen = new Set<string>();
  for (const a of actions) {
    if (seen.has(a.name)) throw new AgentError("SKILL_INVALID", `defineSkill "${spec.name}": two actions are named "${a.name}"; action names must be unique within a skill`, spec.name);
    seen.add(a.name);
  }
  const skill: Skill = { name: spec.name, ...(spec.description !== undefined && { description: spec.description }), actions: Object.freeze([...actions]), handlers: Object.freeze({ ...spec.handlers }) };
  Object.defineProperty(skill, SKILL, { value: true });
  return Object.freeze(skill);
}

export function isSkill(value: unknown): value is Skill {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SKILL] === true;
}

/** Whether a value looks like an action (made by defineAction or a framework Tool). */
export function isAction(value: unknown): value is Action {
  if (typeof value !== "object" || value === null) return false;
  const a = value as Partial<Action>;
  return typeof a.name === "string" && typeof a.run === "function" && typeof a.input === "object";
}

/** What an agent can do once skills and actions are mounted: handlers by message type, actions by name. */
export interface Mounted {
  readonly handlers: ReadonlyMap<string, MessageHandler>;
  readonly actions: ReadonlyMap<string, Action>;
  /** Skill names, action names and handled message types: what a team routes on. */
  readonly capabilities: ReadonlySet<string>;
}

/**
 * Mounts skills (and loose actions) on an agent, refusing two handlers for one type or two actions
 * with one name. `govern` puts each action behind the marketplace's gate.
 */
export function mountSkills(owner: string, skills: readonly Skill[], actions: readonly Action[] = [], govern?: (action: Action) => Action): Mounted {
  const handlers = new Map<string, MessageHandler>();
  const handlerFrom = new Map<string, string>();
  const byName = new Map<string, Action>();
  const capabilities = new Set<string>();
  const addAction = (raw: Action, from: string) => {
    const a = govern ? govern(raw) : raw;
    if (byName.has(a.name) && byName.get(a.name) !== a) throw new AgentError("SKILL_INVALID", `${owner}: two actions are named "${a.name}" (the second from ${from}); rename one`, owner);
    byName.set(a.name, a);
    capabilities.add(a.name);
  };
  for (const skill of skills) {
    if (!isSkill(skill)) throw new AgentError("SKILL_INVALID", `${owner}: skills must be made with defineSkill({ name, actions, handlers }) (got ${typeof skill})`, owner);
    capabilities.add(skill.name);
    for (const a of skill.actions) addAction(a, `skill "${skill.name}"`);
    for (const [type, handler] of Object.entries(skill.handlers)) {
      const other = handlerFrom.get(type);
      if (other !== undefined) throw new AgentError("SKILL_INVALID", `${owner}: skills "${other}" and "${skill.name}" both handle "${type}"; mount only one of them`, owner);
      handlers.set(type, handler);
      handlerFrom.set(type, skill.name);
      capabilities.add(type);
    }
  }
  for (const a of actions) addAction(a, "options.actions");
  return { handlers, actions: byName, capabilities };
}
