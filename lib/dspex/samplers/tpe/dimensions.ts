// How TPE sees one variable: a numeric dimension in its internal space (log space for log
// variables; bins of one step for int and stepped floats, as in the published algorithm), or a
// categorical one. Encoding reads the variable's value from each observed configuration once.
import { jsonKey, type Config, type JsonValue, type Variable } from "../../variables";

export interface NumericDimension {
  readonly type: "numeric";
  readonly variable: Variable;
  /** Truncation bounds in internal space (widened by half a step when discrete). */
  readonly lo: number;
  readonly hi: number;
  /** Discrete: each value owns the bin [x - step/2, x + step/2] (mapped to internal space). */
  readonly discrete: boolean;
  /** low === high: one possible value. */
  readonly single: boolean;
  /** Internal value of each observation; NaN where absent or unusable. */
  readonly codes: Float64Array;
  toInternal(x: number): number;
  /** A valid value of the variable from an internal draw (clamped, on the step grid). */
  decode(u: number): number;
  binLow(x: number): number;
  binHigh(x: number): number;
}

export interface CategoricalDimension {
  readonly type: "categorical";
  readonly variable: Variable;
  /** The domain's choices, then values seen in the history outside them that the variable accepts. */
  readonly choices: readonly JsonValue[];
  /** Choice index of each observation; NaN where absent or unusable. */
  readonly codes: Float64Array;
}

export type Dimension = NumericDimension | CategoricalDimension;

/** A variable with one possible value: nothing to search. */
export function isSingle(dim: Dimension): boolean {
  return dim.type === "numeric" ? dim.single : dim.choices.length < 2;
}

export function encodeDimension(variable: Variable, configs: readonly Config[]): Dimension {
  return variable.domain.type === "categorical" ? encodeCategorical(variable, variable.domain.choices, configs) : encodeNumeric(variable, configs);
}

function encodeNumeric(variable: Variable, configs: readonly Config[]): NumericDimension {
  const d = variable.domain as Extract<Variable["domain"], { type: "float" | "int" }>;
  const { low, high, log } = d;
  const integer = d.type === "int";
  const step = d.step;
  const half = step !== undefined ? step / 2 : 0;
  // A log variable whose first bin would reach zero is treated as continuous (then snapped).
  const discrete = step !== undefined && (!log || low - half > 0);
  const toInternal = log ? Math.log : (x: number) => x;
  const snap = (x: number): number => {
    let v = Math.min(high, Math.max(low, x));
    if (step !== undefined) v = Math.min(high, low + Math.round((v - low) / step) * step);
    if (integer) v = Math.round(v);
    return step !== undefined && !integer ? Number(v.toFixed(12)) : v;
  };
  const codes = new Float64Array(configs.length);
  const name = variable.name;
  for (let i = 0; i < configs.length; i++) {
    const v = configs[i]![name];
    // Past values are kernel centres: clamped into the range (bounds may have moved), not snapped.
    if (typeof v !== "number" || !(v - v === 0)) codes[i] = Number.NaN;
    else {
      const x = v < low ? low : v > high ? high : v;
      codes[i] = log ? Math.log(x) : x;
    }
  }
  return {
    type: "numeric",
    variable,
    lo: toInternal(discrete ? low - half : low),
    hi: toInternal(discrete ? high + half : high),
    discrete,
    single: !(high > low),
    codes,
    toInternal,
    decode: (u: number) => snap(log ? Math.exp(u) : u),
    binLow: (x: number) => toInternal(x - half),
    binHigh: (x: number) => toInternal(x + half),
  };
}

/** Looks up values among choices by content: primitives directly, objects by identity then by key. */
class ChoiceIndex {
  private readonly primitive = new Map<JsonValue, number>();
  private readonly byObject = new Map<object, number>();
  private readonly byKey = new Map<string, number>();

  add(value: JsonValue, index: number): void {
    if (value !== null && typeof value === "object") {
      this.byObject.set(value, index);
      const key = jsonKey(value);
      if (!this.byKey.has(key)) this.byKey.set(key, index);
    } else if (!this.primitive.has(value)) this.primitive.set(value, index);
  }

  find(value: JsonValue): number {
    if (value === null || typeof value !== "object") return this.primitive.get(value) ?? -1;
    const hit = this.byObject.get(value);
    if (hit !== undefined) return hit;
    const index = this.byKey.get(jsonKey(value));
    if (index === undefined) return -1;
    this.byObject.set(value, index);
    return index;
  }
}

/**
 * Values outside the current choices (instructions or demo sets written since the candidates were
 * listed) become categories of their own when the variable accepts them, so a good one found by
 * another optimizer can be proposed again; values the variable rejects are ignored.
 */
function encodeCategorical(variable: Variable, domainChoices: readonly JsonValue[], configs: readonly Config[]): CategoricalDimension {
  const choices = [...domainChoices];
  const index = new ChoiceIndex();
  choices.forEach((c, i) => index.add(c, i));
  const rejected = new Set<string>();
  const codes = new Float64Array(configs.length);
  const name = variable.name;
  for (let i = 0; i < configs.length; i++) {
    const value = configs[i]![name];
    if (value === undefined) {
      codes[i] = Number.NaN;
      continue;
    }
    let at = index.find(value);
    if (at === -1) {
      const key = jsonKey(value);
      if (!rejected.has(key) && variable.schema.safeParse(value).success) {
        at = choices.length;
        choices.push(value);
        index.add(value, at);
      } else rejected.add(key);
    }
    codes[i] = at === -1 ? Number.NaN : at;
  }
  return { type: "categorical", variable, choices, codes };
}
