import type { Config, Constraint } from "./types";

function numberOf(config: Config, name: string): number | undefined {
  const v = config[name];
  if (typeof v === "number") return v;
  if (Array.isArray(v)) return v.length;
  return undefined;
}

/** A rule over a configuration, with the names of the variables it reads. */
export function constraint(description: string, variables: readonly string[], check: (config: Config) => boolean): Constraint {
  return Object.freeze({ description, variables: [...variables], check });
}

/**
 * `a <= b`, where each side is a numeric variable, the number of demos in a demo-set variable,
 * or a number. Inactive variables make the rule hold.
 */
export function atMost(a: string | number, b: string | number): Constraint {
  const names = [a, b].filter((x): x is string => typeof x === "string");
  const read = (config: Config, side: string | number) => (typeof side === "number" ? side : numberOf(config, side));
  return constraint(`${a} <= ${b}`, names, (config) => {
    const left = read(config, a);
    const right = read(config, b);
    return left === undefined || right === undefined || left <= right;
  });
}
