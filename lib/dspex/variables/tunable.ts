import { categoricalVariable } from "./categorical";
import { numericVariable, type NumericOptions } from "./numeric";
import type { JsonValue, Target, Variable } from "./types";

type TunableSpec =
  | { readonly kind: "float" | "int"; readonly options: NumericOptions }
  | { readonly kind: "choice"; readonly choices: readonly JsonValue[]; readonly description?: string }
  | { readonly kind: "boolean"; readonly description?: string };

const TUNABLE = Symbol.for("dspex.tunable");

/**
 * A number or choice a program declares as tunable, read in `forward` as `this.name.value`:
 *   readonly topK = tunable.int({ low: 1, high: 10, default: 3 });
 * Discovery makes it a variable named "<module path>.<property>"; applying a configuration gives
 * the program a copy holding the new value.
 */
export class Tunable<V extends JsonValue = JsonValue> {
  readonly [TUNABLE] = true;
  constructor(
    readonly spec: TunableSpec,
    readonly value: V,
  ) {
    Object.freeze(this);
  }

  with(value: V): Tunable<V> {
    return new Tunable(this.spec, value);
  }

  /** The variable this tunable becomes at a given name. */
  toVariable(name: string, target: Target): Variable {
    const s = this.spec;
    switch (s.kind) {
      case "float":
      case "int":
        return numericVariable(name, s.kind, { ...s.options, default: this.value as number, target });
      case "boolean":
        return categoricalVariable<boolean>(name, "boolean", { choices: [false, true], default: this.value as boolean, description: s.description, target });
      case "choice":
        return categoricalVariable(name, "choice", { choices: s.choices, default: this.value, description: s.description, target });
    }
  }
}

export function isTunable(value: unknown): value is Tunable {
  return typeof value === "object" && value !== null && TUNABLE in value;
}

export const tunable = {
  float: (options: NumericOptions & { default: number }) => new Tunable<number>({ kind: "float", options }, options.default),
  int: (options: NumericOptions & { default: number }) => new Tunable<number>({ kind: "int", options }, options.default),
  choice: <V extends JsonValue>(options: { choices: readonly V[]; default: V; description?: string }) =>
    new Tunable<V>({ kind: "choice", choices: options.choices, description: options.description }, options.default),
  boolean: (options: { default: boolean; description?: string }) => new Tunable<boolean>({ kind: "boolean", description: options.description }, options.default),
};
