// The marketplace page and its API: the skill registry (what is installed, from where, with which
// schemas and permissions), the administrators' decisions and the calls counted in the store, and
// which declared agent systems mount each skill and action.
import type { Marketplace, MarketplaceAction, SkillOriginView } from "../../schemas";
import type { LoadedAgentSystem, Registered, RegisteredAction, Skill, SkillOrigin, SkillRegistry } from "../agents";
import type { ActionSettingView, ActionUsageView, Store } from "../store";

export interface MarketplaceSource {
  readonly store: Pick<Store, "listActionSettings" | "actionUsage">;
  readonly registry: Pick<SkillRegistry, "skills" | "actions" | "packages" | "errors">;
  /** Whether an action may run now (the policy every call passes). */
  enabled(action: string): boolean;
  /** The declared agent systems, resolved against the registry. */
  systems(): readonly LoadedAgentSystem[];
}

const USAGE_DAYS = 30;

function originView(origin: SkillOrigin): SkillOriginView {
  return origin.kind === "folder" ? { kind: "folder", file: origin.file } : { kind: "package", name: origin.name, version: origin.version, permissions: { ...origin.permissions, network: [...origin.permissions.network] } };
}

/** Which systems mount each action and each skill (by name). */
function usage(systems: readonly LoadedAgentSystem[]): { actions: Map<string, Set<string>>; skills: Map<string, Set<string>> } {
  const actions = new Map<string, Set<string>>();
  const skills = new Map<string, Set<string>>();
  const add = (into: Map<string, Set<string>>, name: string, system: string) => {
    if (!into.has(name)) into.set(name, new Set());
    into.get(name)!.add(system);
  };
  for (const { definition: def } of systems) {
    for (const group of Object.values(def.agents)) {
      for (const a of group.actions ?? []) add(actions, typeof a === "string" ? a : a.name, def.name);
      for (const s of group.skills ?? []) {
        add(skills, typeof s === "string" ? s : s.name, def.name);
        if (typeof s !== "string") for (const a of s.actions) add(actions, a.name, def.name);
      }
    }
  }
  return { actions, skills };
}

function actionView(name: string, r: RegisteredAction, enabled: boolean, setting: ActionSettingView | undefined, used: Set<string> | undefined, u: ActionUsageView | undefined): MarketplaceAction {
  return {
    name,
    description: r.value.description ?? "",
    skill: r.skill ?? null,
    source: r.source,
    origin: originView(r.origin),
    input: r.input ? { ...r.input } : null,
    output: r.output ? { ...r.output } : null,
    enabled,
    enabledByDefault: r.origin.kind !== "package",
    decision: setting ? { by: setting.updatedBy, at: setting.updatedAt } : null,
    usedBy: [...(used ?? [])].sort(),
    usage: {
      calls: u?.calls ?? 0,
      errors: u?.errors ?? 0,
      costUsd: u?.costUsd ?? 0,
      meanMs: u && u.calls > 0 ? u.totalMs / u.calls : null,
      lastError: u?.lastError ?? null,
      lastAt: u?.lastAt ?? null,
    },
  };
}

function skillView(name: string, r: Registered<Skill>, used: Set<string> | undefined): Marketplace["skills"][number] {
  return {
    name,
    description: r.value.description ?? "",
    source: r.source,
    origin: originView(r.origin),
    actions: r.value.actions.map((a) => a.name),
    handles: Object.keys(r.value.handlers),
    usedBy: [...(used ?? [])].sort(),
  };
}

/** Everything the marketplace page shows, actions sorted by name. */
export async function readMarketplace(source: MarketplaceSource): Promise<Marketplace> {
  const [settings, totals] = await Promise.all([source.store.listActionSettings(), source.store.actionUsage(USAGE_DAYS)]);
  const byAction = new Map(settings.map((s) => [s.action, s]));
  const used = usage(source.systems());
  const { registry } = source;
  return {
    actions: [...registry.actions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, r]) => actionView(name, r, source.enabled(name), byAction.get(name), used.actions.get(name), totals[name])),
    skills: [...registry.skills.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, r]) => skillView(name, r, used.skills.get(name))),
    packages: registry.packages.map((p) => ({ name: p.name, version: p.version, permissions: { ...p.permissions, network: [...p.permissions.network] }, actions: [...p.actions], skills: [...p.skills] })),
    loadErrors: registry.errors.map((e) => ({ source: e.source, message: e.message })),
  };
}

/** One action as the marketplace shows it, or undefined when no such action is installed. */
export async function readMarketplaceAction(source: MarketplaceSource, name: string): Promise<MarketplaceAction | undefined> {
  const r = source.registry.actions.get(name);
  if (!r) return undefined;
  const [settings, totals] = await Promise.all([source.store.listActionSettings(), source.store.actionUsage(USAGE_DAYS)]);
  return actionView(name, r, source.enabled(name), settings.find((s) => s.action === name), usage(source.systems()).actions.get(name), totals[name]);
}

/** What the marketplace's routes need: read everything, and record an administrator's decision. */
export interface MarketplaceControl {
  read(): Promise<Marketplace>;
  /** Resolves undefined when no such action is installed. */
  setEnabled(action: string, enabled: boolean, userId: string | null): Promise<MarketplaceAction | undefined>;
}

/** `decide` records the decision and applies it to the policy (the runtime's Marketplace.setEnabled). */
export function marketplaceControl(source: MarketplaceSource, decide: (action: string, enabled: boolean, userId: string | null) => Promise<unknown>): MarketplaceControl {
  return {
    read: () => readMarketplace(source),
    async setEnabled(action, enabled, userId) {
      if (!source.registry.actions.has(action)) return undefined;
      await decide(action, enabled, userId);
      return readMarketplaceAction(source, action);
    },
  };
}
