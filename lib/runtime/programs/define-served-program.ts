// What a file in programs/ default-exports: a program the server serves, with the variables an
// optimizer or a person may change, and optionally a dataset and a metric for optimizations.
import { DspexError, discoverSpace, isModule, type DiscoverOptions, type Example, type Metric, type Module, type Signature } from "../../dspex";
import { unknownKeyMessage } from "../../dspex/signatures/suggest";
import { ProgramNameSchema } from "../../schemas/programs";

const SERVED = Symbol.for("dspex.served-program");

export type ExampleSplitName = "train" | "validation" | "test";

/** A bundled example; without a split, examples count as training data. */
export interface ServedExample extends Example {
  readonly split?: ExampleSplitName;
}

export interface ServedProgramSpec {
  /** Unique, URL-safe: lowercase letters, digits, - and _ (the file should be programs/<name>.ts). */
  readonly name: string;
  readonly description?: string;
  readonly program: Module;
  /** The interface API input is validated against (default: the program's own signature, if any). */
  readonly signature?: Signature;
  /** Which variables are discovered (models offered, temperature range, module selection...). */
  readonly variables?: DiscoverOptions;
  /** Examples to optimize and evaluate on; seeded as the dataset "<name>" at start-up. */
  readonly dataset?: readonly ServedExample[];
  /** Scores a prediction against an example (0..1); needed to optimize. */
  readonly metric?: Metric;
}

export interface ServedProgram extends ServedProgramSpec {
  readonly [SERVED]: true;
  readonly description: string;
  readonly dataset: readonly ServedExample[];
}

export function isServedProgram(value: unknown): value is ServedProgram {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[SERVED] === true;
}

/**
 * Declares a served program; checks it at once so a mistake is reported with its file at start-up.
 * Throws DspexError PROGRAM_INVALID naming the field at fault.
 */
export function defineServedProgram(spec: ServedProgramSpec): ServedProgram {
  const fail = (field: string, message: string): never => {
    throw new DspexError("PROGRAM_INVALID", `defineServedProgram: "${field}" ${message}`);
  };
  const FIELDS = ["name", "description", "program", "signature", "variables", "dataset", "metric"];
  if (typeof spec === "object" && spec !== null) {
    const unknown = Object.keys(spec).find((key) => !FIELDS.includes(key));
    if (unknown !== undefined) throw new DspexError("PROGRAM_INVALID", `defineServedProgram: ${unknownKeyMessage("field", unknown, FIELDS)}`);
  }
  const name = ProgramNameSchema.safeParse(spec?.name);
  if (!name.success) fail("name", `${name.error.issues[0]!.message} (got ${JSON.stringify(spec?.name)})`);
  if (!isModule(spec.program)) fail("program", "must be a Module (e.g. new Predict(\"question -> answer\")); got " + typeof spec.program);
  if (spec.metric !== undefined && typeof spec.metric !== "function") fail("metric", "must be a function (example, prediction) => number");
  if (spec.description !== undefined && typeof spec.description !== "string") fail("description", "must be a string");
  const dataset = spec.dataset ?? [];
  if (!Array.isArray(dataset)) fail("dataset", "must be an array of { inputs, outputs, split? }");
  dataset.forEach((e, i) => {
    const isRecord = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (!isRecord(e) || !isRecord(e.inputs) || !isRecord(e.outputs)) fail(`dataset.${i}`, "must be { inputs: {...}, outputs: {...}, split? }");
    if (e.split !== undefined && !["train", "validation", "test"].includes(e.split)) fail(`dataset.${i}.split`, `must be train, validation or test (got ${JSON.stringify(e.split)})`);
  });
  try {
    discoverSpace(spec.program, spec.variables);
  } catch (err) {
    fail("variables", err instanceof Error ? err.message : String(err));
  }
  return Object.freeze({ ...spec, name: name.data!, description: spec.description ?? "", dataset: Object.freeze([...dataset]), [SERVED]: true as const });
}
