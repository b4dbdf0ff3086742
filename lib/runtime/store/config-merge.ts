// A new version's configuration: the variables given over the parent's values, checked by the
// program's variable space. Every reason it is refused becomes an issue naming its variable.
import { jsonEqual, type Config, type ConfigChange, type JsonValue, type VariableSpace } from "../../dspex";
import type { StoreIssue } from "./errors";

export type MergeResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly issues: readonly StoreIssue[] };

/**
 * Overlays `changes` on `base` (the parent's configuration). Values of the parent that no longer
 * exist in the space, are now fixed, or whose condition the changes switch off, are dropped; values the caller
 * gives are checked strictly (unknown names, types, ranges, conditions, fixed values, constraints).
 */
export function mergeConfig(space: VariableSpace, base: Config, changes: Config): MergeResult {
  const candidate: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(base)) {
    const v = space.get(name);
    if (v && !v.fixed) candidate[name] = value;
  }
  Object.assign(candidate, changes);
  for (const name of Object.keys(candidate)) {
    if (!(name in changes) && space.get(name) && !space.isActive(name, candidate)) delete candidate[name];
  }
  const result = space.validate(candidate);
  if (result.ok) return { ok: true, config: result.config };
  return { ok: false, issues: result.errors.map(reasonToIssue) };
}

/** `"temperature" must be ...` / `unknown variable "x" ...` -> { field: "config.temperature", message }. */
export function reasonToIssue(reason: string): StoreIssue {
  if (reason.startsWith("constraint broken:")) return { field: "config", message: reason };
  const name = /"([^"]+)"/.exec(reason)?.[1];
  return { field: name ? `config.${name}` : "config", message: reason };
}

/** Changes between two stored configurations, variable by variable (the space's order when given). */
export function diffConfigs(before: Config, after: Config, space?: VariableSpace): ConfigChange[] {
  if (space) {
    const known = space.diff(before, after);
    const inSpace = new Set(space.names);
    return [...known, ...plainDiff(before, after).filter((c) => !inSpace.has(c.name))];
  }
  return plainDiff(before, after);
}

function plainDiff(before: Config, after: Config): ConfigChange[] {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return names.filter((n) => !jsonEqual(before[n], after[n])).map((name) => ({ name, before: before[name], after: after[name] }));
}
