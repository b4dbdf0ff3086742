import { ConfigInvalidError, DspexError } from "../errors";
import type { Module } from "../modules/module";
import type { Rng } from "../random";
import { applyConfig } from "./apply";
import { jsonEqual } from "./json-value";
import type { Config, Constraint, JsonValue, Variable, VariablePatch } from "./types";

export interface ConfigChange {
  readonly name: string;
  readonly before: JsonValue | undefined;
  readonly after: JsonValue | undefined;
}

export type ValidationResult = { readonly ok: true; readonly config: Config } | { readonly ok: false; readonly errors: readonly string[] };

/** Plain-data description of a variable, for forms and reports. */
export interface VariableJSON {
  readonly name: string;
  readonly kind: Variable["kind"];
  readonly description?: string;
  readonly default: JsonValue;
  readonly domain: Variable["domain"];
  readonly target: Variable["target"];
  readonly condition?: Variable["condition"];
  readonly fixed: boolean;
}

const MAX_SAMPLE_TRIES = 200;

/**
 * Every variable of a program in one search space, with conditions (a variable present only for
 * some values of another) and constraints. Immutable: every change returns a new space.
 */
export class VariableSpace {
  readonly variables: readonly Variable[];
  readonly constraints: readonly Constraint[];
  private readonly byName: ReadonlyMap<string, Variable>;

  constructor(variables: readonly Variable[], constraints: readonly Constraint[] = []) {
    const byName = new Map<string, Variable>();
    for (const v of variables) {
      if (byName.has(v.name)) throw new DspexError("OPTION_INVALID", `variable space: "${v.name}" is defined twice`);
      byName.set(v.name, v);
    }
    for (const v of variables) {
      if (v.condition && !byName.has(v.condition.variable)) {
        throw new DspexError("OPTION_INVALID", `variable "${v.name}" depends on "${v.condition.variable}", which is not in the space`);
      }
    }
    for (const c of constraints) {
      const unknown = c.variables.filter((n) => !byName.has(n));
      if (unknown.length) throw new DspexError("OPTION_INVALID", `constraint "${c.description}" names unknown variable(s): ${unknown.join(", ")}`);
    }
    this.variables = Object.freeze(orderByDependencies(variables, byName));
    this.constraints = Object.freeze([...constraints]);
    this.byName = byName;
    Object.freeze(this);
  }

  get names(): string[] {
    return this.variables.map((v) => v.name);
  }

  get size(): number {
    return this.variables.length;
  }

  get(name: string): Variable | undefined {
    return this.byName.get(name);
  }

  require(name: string): Variable {
    const v = this.byName.get(name);
    if (!v) throw new DspexError("OPTION_INVALID", `no variable "${name}" in the space; variables: ${this.names.join(", ") || "(none)"}`);
    return v;
  }

  /** Variables an optimizer may change (not fixed). */
  searchable(): Variable[] {
    return this.variables.filter((v) => !v.fixed);
  }

  /** Whether a variable is present in a configuration: its condition (and its parent's) holds. */
  isActive(name: string, config: Config): boolean {
    const v = this.require(name);
    if (!v.condition) return true;
    const parent = v.condition.variable;
    if (!this.isActive(parent, config)) return false;
    const value = parent in config ? config[parent] : this.require(parent).default;
    return v.condition.in.some((allowed) => jsonEqual(allowed, value));
  }

  /** The defaults of every active variable: the program as it is. */
  defaults(): Config {
    return this.complete({});
  }

  /** Fills missing active variables with their defaults and drops inactive ones. */
  complete(partial: Config): Config {
    const out: Record<string, JsonValue> = {};
    for (const v of this.variables) {
      if (!this.isActive(v.name, out)) continue;
      out[v.name] = v.fixed ? v.default : v.name in partial ? partial[v.name]! : v.default;
    }
    return out;
  }

  /** A random valid configuration; values given in `base` are kept. */
  sample(rng: Rng, base: Config = {}): Config {
    for (let attempt = 0; attempt < MAX_SAMPLE_TRIES; attempt++) {
      const out: Record<string, JsonValue> = {};
      for (const v of this.variables) {
        if (!this.isActive(v.name, out)) continue;
        out[v.name] = v.fixed ? v.default : v.name in base ? base[v.name]! : v.sample(rng);
      }
      if (this.violated(out).length === 0) return out;
    }
    throw new DspexError("OPTION_INVALID", `variable space: no configuration satisfying ${this.constraints.map((c) => `"${c.description}"`).join(", ")} found in ${MAX_SAMPLE_TRIES} random draws`);
  }

  /** Descriptions of the constraints a configuration breaks. */
  violated(config: Config): string[] {
    return this.constraints.filter((c) => !c.check(config)).map((c) => c.description);
  }

  /**
   * Checks a configuration: unknown names, values of the wrong type or range, values for
   * variables whose condition does not hold, fixed variables changed, broken constraints.
   * Missing variables take their defaults.
   */
  validate(config: Config): ValidationResult {
    const errors: string[] = [];
    for (const name of Object.keys(config)) {
      if (!this.byName.has(name)) errors.push(`unknown variable "${name}" (variables: ${this.names.join(", ")})`);
    }
    const full = this.complete(config);
    for (const v of this.variables) {
      if (!(v.name in config)) continue;
      if (!this.isActive(v.name, full)) {
        const c = v.condition!;
        errors.push(`"${v.name}" only applies when "${c.variable}" is ${c.in.map((x) => JSON.stringify(x)).join(" or ")} (it is ${JSON.stringify(full[c.variable])})`);
        continue;
      }
      if (v.fixed && !jsonEqual(config[v.name], v.default)) {
        errors.push(`"${v.name}" is fixed at ${JSON.stringify(v.default)} (got ${JSON.stringify(config[v.name])})`);
        continue;
      }
      const parsed = v.schema.safeParse(config[v.name]);
      if (!parsed.success) errors.push(`"${v.name}" ${parsed.error.issues[0]?.message ?? "is invalid"} (got ${preview(config[v.name])})`);
    }
    if (errors.length === 0) for (const d of this.violated(full)) errors.push(`constraint broken: ${d}`);
    return errors.length ? { ok: false, errors } : { ok: true, config: full };
  }

  /** A new program with the configuration applied; the program given is unchanged. */
  apply<M extends Module>(program: M, config: Config): M {
    const result = this.validate(config);
    if (!result.ok) throw new ConfigInvalidError(result.errors);
    return applyConfig(program, this, result.config);
  }

  /** What changed from one configuration to another, variable by variable. */
  diff(before: Config, after: Config): ConfigChange[] {
    const names = new Set([...Object.keys(before), ...Object.keys(after)]);
    return this.names
      .filter((n) => names.has(n) && !jsonEqual(before[n], after[n]))
      .map((name) => ({ name, before: before[name], after: after[name] }));
  }

  with(name: string, patch: VariablePatch<JsonValue>): VariableSpace {
    this.require(name);
    return new VariableSpace(
      this.variables.map((v) => (v.name === name ? v.with(patch) : v)),
      this.constraints,
    );
  }

  /** Fixes a variable at a value (validated). */
  fix(name: string, value: JsonValue): VariableSpace {
    const v = this.require(name);
    const parsed = v.schema.safeParse(value);
    if (!parsed.success) throw new ConfigInvalidError([`"${name}" ${parsed.error.issues[0]?.message ?? "is invalid"} (got ${preview(value)})`]);
    return this.with(name, { default: value, fixed: true, candidates: [value] });
  }

  /** Keeps only the chosen variables searchable; every other one is fixed at its default. */
  select(keep: readonly string[] | ((v: Variable) => boolean)): VariableSpace {
    if (Array.isArray(keep)) for (const n of keep) this.require(n);
    const wanted = typeof keep === "function" ? keep : (v: Variable) => (keep as readonly string[]).includes(v.name);
    return new VariableSpace(
      this.variables.map((v) => (wanted(v) ? v : v.fixed ? v : v.with({ fixed: true }))),
      this.constraints,
    );
  }

  /** Adds candidate values (proposed instructions, demo sets) that samplers may choose. */
  withCandidates(name: string, values: readonly JsonValue[]): VariableSpace {
    return this.with(name, { candidates: values });
  }

  constrain(constraint: Constraint): VariableSpace {
    return new VariableSpace(this.variables, [...this.constraints, constraint]);
  }

  toJSON(): VariableJSON[] {
    return this.variables.map((v) => ({
      name: v.name,
      kind: v.kind,
      ...(v.description ? { description: v.description } : {}),
      default: v.default,
      domain: v.domain,
      target: v.target,
      ...(v.condition ? { condition: v.condition } : {}),
      fixed: v.fixed,
    }));
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Parents before the variables that depend on them; otherwise the given order. */
function orderByDependencies(variables: readonly Variable[], byName: ReadonlyMap<string, Variable>): Variable[] {
  const out: Variable[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (v: Variable) => {
    const s = state.get(v.name);
    if (s === "done") return;
    if (s === "visiting") throw new DspexError("OPTION_INVALID", `variable conditions form a cycle through "${v.name}"`);
    state.set(v.name, "visiting");
    if (v.condition) visit(byName.get(v.condition.variable)!);
    state.set(v.name, "done");
    out.push(v);
  };
  variables.forEach(visit);
  return out;
}
