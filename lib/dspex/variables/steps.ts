import { DspexError } from "../errors";
import { ChainOfThought } from "../modules/chain-of-thought";
import type { Module } from "../modules/module";
import { Predict } from "../modules/predict";

/**
 * A step is where a prediction happens: a Predict, or a ChainOfThought (whose inner Predict is
 * not a step of its own). Variables are named by step, so they survive a module switch.
 */
export function programSteps(program: Module): Array<readonly [string, Predict | ChainOfThought]> {
  const all: Array<readonly [string, Module]> = [["", program], ...program.namedModules()];
  const cots = new Set(all.filter(([, m]) => m instanceof ChainOfThought).map(([p]) => p));
  const out: Array<readonly [string, Predict | ChainOfThought]> = [];
  for (const [path, m] of all) {
    if (m instanceof ChainOfThought) out.push([path, m]);
    else if (m instanceof Predict && !cots.has(parentOf(path))) out.push([path, m]);
  }
  return out;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf(".");
  return i === -1 ? (path === "" ? "\u0000" : "") : path.slice(0, i);
}

export function moduleAt(root: Module, path: string): Module {
  const m = path === "" ? root : root.get(path);
  if (!m) throw new DspexError("CONFIG_INVALID", `Invalid configuration: the program has no module at "${path}"`);
  return m;
}

export function replaceModuleAt<M extends Module>(root: M, path: string, next: Module): M {
  return (path === "" ? next : root.replace(path, next)) as M;
}

/** The Predict doing a step's work. */
export function stepPredictor(step: Module, path: string): Predict {
  if (step instanceof Predict) return step;
  if (step instanceof ChainOfThought) return step.predict;
  throw new DspexError("CONFIG_INVALID", `Invalid configuration: "${path}" is a ${step.kind}, not a Predict or ChainOfThought step`);
}

/** The same step as another module kind, keeping instructions, demos and settings. */
export function switchModule(step: Module, to: string, path: string): Module {
  if (to === "chain-of-thought") return step instanceof ChainOfThought ? step : ChainOfThought.fromPredict(stepPredictor(step, path));
  if (to === "predict") return step instanceof Predict ? step : step instanceof ChainOfThought ? step.toPredict() : stepPredictor(step, path);
  throw new DspexError("CONFIG_INVALID", `Invalid configuration: "${path}" cannot become "${to}" (choices: predict, chain-of-thought)`);
}
