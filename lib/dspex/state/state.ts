import { DspexError } from "../errors";
import type { Module } from "../modules/module";
import { namedPredictors } from "../modules/predictors";
import { Predict } from "../modules/predict";
import { ProgramStateSchema, STATE_FORMAT, STATE_VERSION, type PredictorState, type ProgramState } from "./schema";

/** A saved state that does not fit the program or is not a state at all; the message says where. */
export class StateError extends DspexError {
  constructor(message: string) {
    super("STATE_INVALID", `Program state: ${message}`);
  }
}

/** Everything tunable in a program (instructions, demos, LM settings, variables) as versioned plain JSON. */
export function saveState(program: Module, options: { name?: string; now?: () => Date } = {}): ProgramState {
  const predictors: Record<string, PredictorState> = {};
  for (const [path, p] of namedPredictors(program)) {
    predictors[path] = {
      signature: { inputs: p.signature.inputs.map((f) => f.name), outputs: p.signature.outputs.map((f) => f.name) },
      ...(p.params.instructions !== undefined ? { instructions: p.params.instructions } : {}),
      demos: p.params.demos.map((d) => ({ ...d })),
      settings: { ...p.params.settings, stop: p.params.settings.stop ? [...p.params.settings.stop] : undefined },
      ...(p.params.adapter ? { adapter: p.params.adapter } : {}),
      variables: { ...p.params.variables },
    };
    if (predictors[path]!.settings.stop === undefined) delete (predictors[path]!.settings as { stop?: unknown }).stop;
  }
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    ...(options.name ? { program: options.name } : {}),
    savedAt: (options.now?.() ?? new Date()).toISOString(),
    predictors,
  };
}

/** Validates a saved state against the program and returns a new program carrying it. */
export function loadState<M extends Module>(program: M, raw: unknown, options: { partial?: boolean } = {}): M {
  const state = parseState(raw);
  const current = new Map(namedPredictors(program));
  const label = (path: string) => (path === "" ? "(root)" : path);
  for (const path of Object.keys(state.predictors)) {
    if (!current.has(path)) {
      throw new StateError(`it has predictor "${label(path)}" but the program's predictors are: ${[...current.keys()].map(label).join(", ") || "(none)"}`);
    }
  }
  for (const [path, saved] of Object.entries(state.predictors)) checkFits(label(path), current.get(path)!, saved);
  if (!options.partial) {
    const missing = [...current.keys()].filter((p) => !(p in state.predictors));
    if (missing.length) throw new StateError(`predictor(s) ${missing.map((p) => `"${label(p)}"`).join(", ")} missing; pass { partial: true } to load only some`);
  }
  let out: Module = program;
  for (const [path, saved] of Object.entries(state.predictors)) {
    const p = current.get(path)!;
    const replaced = new Predict(p.signature, {
      instructions: saved.instructions,
      demos: saved.demos,
      settings: saved.settings,
      adapter: saved.adapter,
      variables: saved.variables,
    });
    out = path === "" ? replaced : out.replace(path, replaced);
  }
  return out as M;
}

export function stateToJSON(state: ProgramState): string {
  return JSON.stringify(state, null, 2);
}

export function loadStateJSON<M extends Module>(program: M, text: string, options?: { partial?: boolean }): M {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StateError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  return loadState(program, raw, options);
}

function parseState(raw: unknown): ProgramState {
  if (typeof raw !== "object" || raw === null || (raw as { format?: unknown }).format !== STATE_FORMAT) {
    throw new StateError(`not a DSPEx program state: "format" must be "${STATE_FORMAT}"`);
  }
  const version = (raw as { version?: unknown }).version;
  if (typeof version === "number" && version > STATE_VERSION) {
    throw new StateError(`version ${version} was written by a newer DSPEx; this one reads version ${STATE_VERSION}`);
  }
  const parsed = ProgramStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StateError(`${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

function checkFits(path: string, p: Predict, saved: PredictorState): void {
  const ins = p.signature.inputs.map((f) => f.name);
  const outs = p.signature.outputs.map((f) => f.name);
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (!same(ins, saved.signature.inputs) || !same(outs, saved.signature.outputs)) {
    throw new StateError(
      `predictor "${path}" was saved for (${saved.signature.inputs.join(", ")}) -> (${saved.signature.outputs.join(", ")}) ` +
        `but the program's is (${ins.join(", ")}) -> (${outs.join(", ")})`,
    );
  }
  const known = new Set([...ins, ...outs]);
  saved.demos.forEach((demo, i) => {
    const unknown = Object.keys(demo).filter((k) => !known.has(k));
    if (unknown.length) throw new StateError(`predictor "${path}" demo ${i}: unknown field(s) ${unknown.join(", ")}; fields are ${[...known].join(", ")}`);
  });
  for (const [name, value] of Object.entries(saved.variables)) {
    const field = p.signature.field(name);
    if (!field?.variable) throw new StateError(`predictor "${path}": "${name}" is not a variable field of its signature`);
    const ok = field.type.schema.safeParse(value);
    if (!ok.success) throw new StateError(`predictor "${path}" variable "${name}": ${ok.error.issues[0]?.message ?? "invalid"} (got ${JSON.stringify(value)})`);
  }
}
