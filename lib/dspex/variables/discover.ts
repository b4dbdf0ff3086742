import { DspexError } from "../errors";
import { checkOptionKeys } from "../modules/option-keys";
import type { Module } from "../modules/module";
import type { Field } from "../signatures/types";
import type { DemoSet } from "./demo-set";
import { VariableSpace } from "./space";
import { programSteps, stepPredictor } from "./steps";
import { isTunable } from "./tunable";
import type { Constraint, JsonValue, Variable } from "./types";
import { MODULE_CHOICES, variable } from "./variable";

export interface DiscoverOptions {
  /** Models each step may call: adds a "model" choice per step (default: each step keeps its model). */
  readonly models?: readonly string[];
  /** Which of those models take a reasoning effort (default: o1, o3, o4, gpt-5 and names containing "reason"). */
  readonly reasoningModels?: readonly string[] | RegExp;
  /**
   * Temperature range to search (default [0, 1.5]); false leaves temperatures out. An unset
   * temperature is searched from 0.7 but stays unset in every configuration that keeps 0.7.
   */
  readonly temperature?: readonly [number, number] | false;
  /** Let each Predict / ChainOfThought step switch between the two. */
  readonly moduleSelection?: boolean;
  /** Demos per step at most (default 8). */
  readonly maxDemos?: number;
  /** Only these steps (paths; "" is a program that is itself one step). */
  readonly steps?: readonly string[];
  readonly constraints?: readonly Constraint[];
}

export const DEFAULT_TEMPERATURE = 0.7;
const REASONING = /^(o1|o3|o4|gpt-5)|reason/i;

const join = (step: string, name: string) => (step ? `${step}.${name}` : name);

/**
 * Every variable of a program, found by walking its tree: per step its instructions, demos,
 * temperature, model (when models are offered) with a reasoning effort for reasoning models,
 * which module implements it (when asked), the variable fields of its signature, and every
 * tunable a module declares.
 */
export function discoverSpace(program: Module, options: DiscoverOptions = {}): VariableSpace {
  checkOptionKeys("discoverSpace", "option", options, ["models", "reasoningModels", "temperature", "moduleSelection", "maxDemos", "steps", "constraints"]);
  const vars: Variable[] = [];
  const maxDemos = options.maxDemos ?? 8;
  const steps = programSteps(program).filter(([path]) => !options.steps || options.steps.includes(path));
  if (options.steps) {
    const found = new Set(programSteps(program).map(([p]) => p));
    const missing = options.steps.filter((s) => !found.has(s));
    if (missing.length) throw new DspexError("OPTION_INVALID", `discoverSpace: no step ${missing.map((s) => `"${s}"`).join(", ")}; steps: ${[...found].map((p) => `"${p}"`).join(", ")}`);
  }
  const isReasoning = (m: string) => (Array.isArray(options.reasoningModels) ? options.reasoningModels.includes(m) : (options.reasoningModels instanceof RegExp ? options.reasoningModels : REASONING).test(m));

  for (const [step, module] of steps) {
    const p = stepPredictor(module, step);
    if (options.moduleSelection) {
      vars.push(variable.module(join(step, "module"), { choices: MODULE_CHOICES, default: module.kind === "ChainOfThought" ? "chain-of-thought" : "predict", target: { kind: "module", step }, description: "Which module implements this step" }));
    }
    vars.push(variable.text(join(step, "instructions"), { default: p.instructions, target: { kind: "instructions", step }, description: "The step's instructions" }));
    vars.push(
      variable.demos(join(step, "demos"), {
        default: p.demos as DemoSet,
        max: Math.max(maxDemos, p.demos.length),
        target: { kind: "demos", step },
        description: "Few-shot examples shown before the input",
      }),
    );
    if (options.temperature !== false) {
      const [low, high] = options.temperature ?? [0, 1.5];
      const current = p.settings.temperature ?? DEFAULT_TEMPERATURE;
      const unset = p.settings.temperature === undefined;
      vars.push(
        variable.float(join(step, "temperature"), {
          low,
          high: Math.max(high, current),
          default: Math.max(low, current),
          target: { kind: "setting", step, setting: "temperature" },
          description: unset ? "Sampling temperature (unset: the model's own default)" : "Sampling temperature",
          ...(unset && current >= low ? { unsetDefault: true } : {}),
        }),
      );
    }
    if (options.models?.length) {
      const current = p.settings.model;
      const choices = current && !options.models.includes(current) ? [current, ...options.models] : [...options.models];
      const modelName = join(step, "model");
      vars.push(
        variable.choice(modelName, {
          choices,
          default: current ?? choices[0]!,
          target: { kind: "setting", step, setting: "model" },
          description: "Which model the step calls",
          ...(current === undefined ? { unsetDefault: true } : {}),
        }),
      );
      const reasoning = choices.filter(isReasoning);
      if (reasoning.length) {
        vars.push(
          variable.choice(join(step, "reasoningEffort"), {
            choices: p.settings.reasoningEffort === "minimal" ? ["minimal", "low", "medium", "high"] : ["low", "medium", "high"],
            default: p.settings.reasoningEffort ?? "medium",
            ...(p.settings.reasoningEffort === undefined ? { unsetDefault: true } : {}),
            condition: { variable: modelName, in: reasoning },
            target: { kind: "setting", step, setting: "reasoningEffort" },
            description: "Reasoning effort (reasoning models only)",
          }),
        );
      }
    }
    for (const field of p.signature.inputs) {
      if (!field.variable) continue;
      const current = (field.name in p.params.variables ? p.params.variables[field.name] : field.variable.default) as JsonValue;
      const v = fieldVariable(join(step, field.name), field, current, step);
      if (v) vars.push(v);
    }
  }

  const modules: Array<readonly [string, Module]> = [["", program], ...program.namedModules()];
  for (const [path, m] of modules) {
    for (const [property, value] of Object.entries(m)) {
      if (isTunable(value)) vars.push(value.toVariable(join(path, property), { kind: "tunable", module: path, property }));
    }
  }
  return new VariableSpace(vars, options.constraints ?? []);
}

/** A variable for a signature field marked tunable, by the field's type. */
function fieldVariable(name: string, field: Field, current: JsonValue, step: string): Variable | undefined {
  const target = { kind: "field", step, field: field.name } as const;
  const description = field.description;
  const t = field.type;
  switch (t.kind) {
    case "labels":
      return variable.choice(name, { choices: (t.labels ?? []).map((l) => l.value), default: current as string, target, description });
    case "boolean":
      return variable.boolean(name, { default: current as boolean, target, description });
    case "integer":
      return t.min !== undefined && t.max !== undefined ? variable.int(name, { low: t.min, high: t.max, default: current as number, target, description }) : undefined;
    case "number":
    case "probability":
    case "confidence":
    case "score": {
      const low = t.min ?? (t.kind === "number" ? undefined : 0);
      const high = t.max ?? (t.kind === "number" ? undefined : 1);
      return low !== undefined && high !== undefined ? variable.float(name, { low, high, default: current as number, target, description }) : undefined;
    }
    case "string":
      return variable.text(name, { default: String(current ?? ""), target, description });
    default:
      return undefined;
  }
}
