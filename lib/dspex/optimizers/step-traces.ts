import type { Module } from "../modules/module";
import type { Values } from "../signatures/types";
import type { RunTrace } from "../trace";
import { programSteps } from "../variables";

export interface StepTrace {
  /** The step (a variable-name prefix: "" for a one-step program). */
  readonly step: string;
  readonly inputs: Values;
  readonly outputs: Values;
}

/**
 * What each step of a run was given and answered, read from the run's trace: the raw material
 * of bootstrapped demos (for a ChainOfThought step the outputs include its reasoning).
 */
export function stepTraces(program: Module, trace: RunTrace): StepTrace[] {
  const predictorPaths = new Map<string, string>();
  for (const [path, m] of programSteps(program)) {
    predictorPaths.set(m.kind === "ChainOfThought" ? (path ? `${path}.predict` : "predict") : path, path);
  }
  const out: StepTrace[] = [];
  for (const span of trace.spans) {
    if (span.status !== "ok" || span.attributes?.module !== "Predict") continue;
    const step = predictorPaths.get(span.path ?? "");
    if (step === undefined) continue;
    out.push({ step, inputs: (span.inputs ?? {}) as Values, outputs: (span.outputs ?? {}) as Values });
  }
  return out;
}
