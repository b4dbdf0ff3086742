import { DspexError } from "../errors";
import type { Module } from "./module";
import { Predict, type PredictPatch } from "./predict";

/** Every Predict in a program with its path ("" when the program is itself a Predict). */
export function namedPredictors(program: Module): Array<readonly [string, Predict]> {
  const out: Array<readonly [string, Predict]> = [];
  if (program instanceof Predict) out.push(["", program]);
  for (const [path, m] of program.namedModules()) if (m instanceof Predict) out.push([path, m]);
  return out;
}

/** A copy of the program with one predictor's parameters changed. */
export function withPredictor<M extends Module>(program: M, path: string, patch: PredictPatch): M {
  const found = namedPredictors(program).find(([p]) => p === path);
  if (!found) {
    const known = namedPredictors(program).map(([p]) => p || "(root)");
    throw new DspexError("PROGRAM_INVALID", `no predictor at "${path}"; predictors: ${known.join(", ") || "(none)"}`);
  }
  const next = found[1].with(patch);
  return (path === "" ? next : program.replace(path, next)) as M;
}

/** A copy of the program with every predictor replaced by fn(predictor, path). */
export function mapPredictors<M extends Module>(program: M, fn: (predictor: Predict, path: string) => Predict): M {
  let out: Module = program;
  for (const [path, p] of namedPredictors(program)) {
    const next = fn(p, path);
    if (next !== p) out = path === "" ? next : out.replace(path, next);
  }
  return out as M;
}
