import { z } from "zod";
import { categoricalVariable } from "./categorical";
import { crossDemoSets, DemoSetSchema, mutateDemoSet, type DemoSet } from "./demo-set";
import { numericVariable, type NumericOptions } from "./numeric";
import type { Condition, JsonValue, Target, Variable } from "./types";

interface Common {
  readonly description?: string;
  readonly condition?: Condition;
  readonly fixed?: boolean;
  readonly target?: Target;
  /** The default stands in for a setting the program leaves unset (see Variable.unsetDefault). */
  readonly unsetDefault?: boolean;
}

/** The module implementations a step can switch between. */
export const MODULE_CHOICES = ["predict", "chain-of-thought"] as const;
export type ModuleChoice = (typeof MODULE_CHOICES)[number];

/** Builders for every kind of variable. */
export const variable = {
  float: (name: string, options: NumericOptions): Variable<number> => numericVariable(name, "float", options),
  int: (name: string, options: NumericOptions): Variable<number> => numericVariable(name, "int", options),
  choice: <V extends JsonValue>(name: string, options: Common & { readonly choices: readonly V[]; readonly default?: V }): Variable<V> =>
    categoricalVariable(name, "choice", options),
  boolean: (name: string, options: Common & { readonly default?: boolean } = {}): Variable<boolean> =>
    categoricalVariable<boolean>(name, "boolean", { ...options, choices: [false, true], default: options.default ?? false }),
  /** Which implementation a step uses (e.g. Predict or ChainOfThought). */
  module: <V extends string>(name: string, options: Common & { readonly choices: readonly V[]; readonly default?: V }): Variable<V> =>
    categoricalVariable(name, "module", options),
  /** An instruction: any text; samplers choose among the candidates proposed so far. */
  text: (name: string, options: Common & { readonly default: string; readonly candidates?: readonly string[] }): Variable<string> =>
    categoricalVariable<string>(name, "text", {
      ...options,
      choices: [options.default, ...(options.candidates ?? [])],
      open: z.string({ message: "must be text" }),
    }),
  /**
   * Few-shot demos for a step: any set of at most `max`; samplers choose among candidate sets,
   * mutation swaps demos from the pool.
   */
  demos: (
    name: string,
    options: Common & { readonly default?: DemoSet; readonly candidates?: readonly DemoSet[]; readonly pool?: DemoSet; readonly max?: number },
  ): Variable<DemoSet> => {
    const max = options.max ?? 8;
    const pool = options.pool ?? [];
    const candidates = [options.default ?? [], ...(options.candidates ?? [])];
    return categoricalVariable<DemoSet>(name, "demos", {
      ...options,
      choices: candidates,
      default: options.default ?? [],
      open: DemoSetSchema(max),
      maxItems: max,
      mutate: (value, rng, strength, choices) => mutateDemoSet(value, rng, strength, pool, max, choices),
      crossover: (a, b, rng) => crossDemoSets(a, b, rng, max),
    });
  },
};
