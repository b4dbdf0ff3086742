import type { z } from "zod";
import type { Rng } from "../random";

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Values for a space's variables, by variable name. Plain JSON: it becomes a program version. */
export type Config = Readonly<Record<string, JsonValue>>;

export type VariableKind = "float" | "int" | "choice" | "boolean" | "text" | "demos" | "module";

/** How a sampler sees a variable: a numeric range, or a list of choices. */
export type Domain =
  | { readonly type: "float"; readonly low: number; readonly high: number; readonly log: boolean; readonly step?: number }
  | { readonly type: "int"; readonly low: number; readonly high: number; readonly log: boolean; readonly step: number }
  | { readonly type: "categorical"; readonly choices: readonly JsonValue[] };

/** A variable that exists only while another has one of some values. */
export interface Condition {
  readonly variable: string;
  readonly in: readonly JsonValue[];
}

/** Where a variable's value goes when a configuration is applied to a program. */
export type Target =
  | { readonly kind: "instructions"; readonly step: string }
  | { readonly kind: "demos"; readonly step: string }
  | { readonly kind: "setting"; readonly step: string; readonly setting: "model" | "temperature" | "maxTokens" | "topP" | "reasoningEffort" }
  | { readonly kind: "module"; readonly step: string }
  | { readonly kind: "field"; readonly step: string; readonly field: string }
  | { readonly kind: "tunable"; readonly module: string; readonly property: string }
  /** Not part of the program: read by the caller (e.g. a team size). */
  | { readonly kind: "free" };

export interface Variable<V extends JsonValue = JsonValue> {
  readonly name: string;
  readonly kind: VariableKind;
  readonly description?: string;
  readonly default: V;
  /** Validates a value of this variable. */
  readonly schema: z.ZodType<V>;
  readonly domain: Domain;
  readonly target: Target;
  readonly condition?: Condition;
  /** A fixed variable keeps its default: samplers and optimizers leave it alone. */
  readonly fixed: boolean;
  /** Demo sets: how many demos a value may hold. */
  readonly maxItems?: number;
  /**
   * The default only stands in for a setting the program leaves unset (e.g. a temperature the
   * user never set): a configuration that keeps the default leaves the setting unset.
   */
  readonly unsetDefault?: boolean;
  sample(rng: Rng): V;
  /** A nearby value; strength in (0, 1] scales how far (numbers) or how likely a change is (choices). */
  mutate(value: V, rng: Rng, strength: number): V;
  /** A value mixing two parents (numbers blend, choices pick one, demo sets mix). */
  crossover(a: V, b: V, rng: Rng): V;
  /** A copy with another default, a condition, fixed, or more candidates (text and demos). */
  with(patch: VariablePatch<V>): Variable<V>;
}

export interface VariablePatch<V extends JsonValue> {
  readonly default?: V;
  readonly fixed?: boolean;
  readonly condition?: Condition | null;
  readonly description?: string;
  /** Text and demo-set variables: values to add to the candidates a sampler chooses among. */
  readonly candidates?: readonly V[];
}

/** A rule a configuration must follow (e.g. "demos of generate at most k"). */
export interface Constraint {
  readonly description: string;
  readonly variables: readonly string[];
  check(config: Config): boolean;
}
