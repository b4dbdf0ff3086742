// Which variables TPE models together. Multivariate: the searchable variables that are active
// together, i.e. that share the same chain of conditions, form one group with a joint density
// (the unconditional ones are one group; each branch of a condition is another). Univariate:
// one group per variable. Groups come parents first, so a branch is sampled after the choice
// that opens it, and only when it is open.
import { jsonEqual, jsonKey, type Variable, type VariableSpace } from "../../variables";

export interface VariableGroup {
  readonly variables: readonly Variable[];
}

const NEVER = "\u0000never";

export function planGroups(space: VariableSpace, multivariate: boolean): VariableGroup[] {
  const chains = new Map<string, string>();
  const chainOf = (v: Variable): string => {
    const known = chains.get(v.name);
    if (known !== undefined) return known;
    let chain = "";
    if (v.condition) {
      const parent = space.require(v.condition.variable);
      const above = chainOf(parent);
      if (above === NEVER) chain = NEVER;
      else if (parent.fixed) chain = v.condition.in.some((x) => jsonEqual(x, parent.default)) ? above : NEVER;
      else chain = `${above}|${jsonKey([v.condition.variable, v.condition.in])}`;
    }
    chains.set(v.name, chain);
    return chain;
  };
  const groups = new Map<string, Variable[]>();
  for (const v of space.variables) {
    if (v.fixed) continue;
    const chain = chainOf(v);
    if (chain === NEVER) continue;
    const key = multivariate ? chain : `${chain}#${v.name}`;
    const list = groups.get(key);
    if (list) list.push(v);
    else groups.set(key, [v]);
  }
  // Map order is first appearance in the space's order, which puts parents first.
  return [...groups.values()].map((variables) => ({ variables }));
}
