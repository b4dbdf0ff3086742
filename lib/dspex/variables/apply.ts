import type { Module } from "../modules/module";
import type { PredictPatch } from "../modules/predict";
import type { VariableSpace } from "./space";
import { moduleAt, replaceModuleAt, stepPredictor, switchModule } from "./steps";
import { isTunable } from "./tunable";
import { jsonEqual } from "./json-value";
import type { Config, JsonValue } from "./types";

interface StepPatch {
  instructions?: string;
  demos?: readonly Record<string, unknown>[];
  settings: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/**
 * Builds the program a (validated, complete) configuration describes: module switches first,
 * then each step's predictor parameters in one copy, then declared tunables.
 */
export function applyConfig<M extends Module>(program: M, space: VariableSpace, config: Config): M {
  let out: Module = program;
  const steps = new Map<string, StepPatch>();
  const patchOf = (step: string) => {
    let p = steps.get(step);
    if (!p) steps.set(step, (p = { settings: {}, variables: {} }));
    return p;
  };
  const tunables: Array<[string, string, JsonValue]> = [];

  for (const v of space.variables) {
    if (!(v.name in config)) continue;
    const value = config[v.name]!;
    const t = v.target;
    switch (t.kind) {
      case "module":
        out = replaceModuleAt(out, t.step, switchModule(moduleAt(out, t.step), String(value), t.step));
        break;
      case "instructions":
        patchOf(t.step).instructions = String(value);
        break;
      case "demos":
        patchOf(t.step).demos = value as readonly Record<string, unknown>[];
        break;
      case "setting":
        // A setting the program leaves unset stays unset unless the configuration moves it.
        if (v.unsetDefault && jsonEqual(value, v.default)) break;
        patchOf(t.step).settings[t.setting] = value;
        break;
      case "field":
        patchOf(t.step).variables[t.field] = value;
        break;
      case "tunable":
        tunables.push([t.module, t.property, value]);
        break;
      case "free":
        break;
    }
  }

  for (const [step, patch] of steps) {
    const current = moduleAt(out, step);
    const predictor = stepPredictor(current, step);
    const change: PredictPatch = {
      ...(patch.instructions !== undefined ? { instructions: patch.instructions } : {}),
      ...(patch.demos !== undefined ? { demos: patch.demos } : {}),
      ...(Object.keys(patch.settings).length ? { settings: patch.settings } : {}),
      ...(Object.keys(patch.variables).length ? { variables: patch.variables } : {}),
    };
    const next = predictor.with(change);
    const predictorPath = predictor === current ? step : step ? `${step}.predict` : "predict";
    out = replaceModuleAt(out, predictorPath, next);
  }

  for (const [path, property, value] of tunables) {
    const m = moduleAt(out, path);
    const current = (m as unknown as Record<string, unknown>)[property];
    if (!isTunable(current)) continue;
    const copy = Object.assign(Object.create(Object.getPrototypeOf(m) as object) as Module, m);
    (copy as unknown as Record<string, unknown>)[property] = current.with(value);
    out = replaceModuleAt(out, path, copy);
  }
  return out as M;
}
