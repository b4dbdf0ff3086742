// Inputs of the program and program-version store functions, shared by the API and dashboard forms.
import { z } from "zod";
import { IdSchema, PageQuerySchema } from "./pagination";

/** A program's name: used in URLs (`/api/v1/programs/:name/predict`) and file names (`programs/<name>.ts`). */
export const ProgramNameSchema = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-z][a-z0-9_-]*$/, "must start with a lowercase letter and use only lowercase letters, digits, - and _ (e.g. support-triage)");

/** Values for a program's variables, by variable name (plain JSON). */
export const ConfigSchema = z.record(z.string(), z.json());
export type ConfigInput = z.infer<typeof ConfigSchema>;

export const AuthorKindSchema = z.enum(["user", "optimization", "system"]);
export type AuthorKind = z.infer<typeof AuthorKindSchema>;

export const CreateProgramVersionSchema = z.object({
  programName: ProgramNameSchema,
  /** The variables to change; the others keep the parent's values (or the defaults). */
  config: ConfigSchema,
  /** The version this one derives from (default: the active version). */
  parentId: IdSchema.optional(),
  authorKind: AuthorKindSchema.default("user"),
  /** A user id, or an optimization id for authorKind "optimization". */
  authorId: z.string().max(128).nullish(),
  message: z.string().max(1000, "must be at most 1000 characters").default(""),
  /** Make it the active version at once (default false: promote it later). */
  activate: z.boolean().default(false),
});
export type CreateProgramVersionInput = z.input<typeof CreateProgramVersionSchema>;

export const ProgramListQuerySchema = PageQuerySchema.extend({
  /** Part of the name, case-insensitive. */
  search: z.string().trim().max(64).optional(),
});
export type ProgramListQuery = z.input<typeof ProgramListQuerySchema>;

export const ProgramVersionListQuerySchema = PageQuerySchema.extend({ programName: ProgramNameSchema });
export type ProgramVersionListQuery = z.input<typeof ProgramVersionListQuerySchema>;

export const VersionDiffQuerySchema = z.object({ from: IdSchema, to: IdSchema });
export type VersionDiffQuery = z.input<typeof VersionDiffQuerySchema>;

// ---------------------------------------------------------------- dashboard and API views (programs area)

const isoDate = z.iso.datetime();

/** A program's module tree as the dashboard draws it (the resolved module of a version). */
export interface ModuleNodeShape {
  /** Dotted path ("" for the root). */
  path: string;
  /** The property name under its parent ("" for the root). */
  name: string;
  /** "Predict", "ChainOfThought" or the class name. */
  kind: string;
  /** A step: a Predict or ChainOfThought whose variables are named after its path. */
  step: boolean;
  /** The step's signature in shorthand, when it has one. */
  signature: string | null;
  children: ModuleNodeShape[];
}

export const ModuleNodeSchema: z.ZodType<ModuleNodeShape> = z.object({
  path: z.string(),
  name: z.string(),
  kind: z.string(),
  step: z.boolean(),
  signature: z.string().nullable(),
  get children() {
    return z.array(ModuleNodeSchema);
  },
});

export const VariableKindSchema = z.enum(["float", "int", "choice", "boolean", "text", "demos", "module"]);

/** A variable of a program's space as plain data: what a form needs to edit it and validate it. */
export const VariableDescriptionSchema = z.object({
  name: z.string(),
  kind: VariableKindSchema,
  description: z.string().optional(),
  default: z.json(),
  domain: z.discriminatedUnion("type", [
    z.object({ type: z.literal("float"), low: z.number(), high: z.number(), log: z.boolean(), step: z.number().optional() }),
    z.object({ type: z.literal("int"), low: z.number(), high: z.number(), log: z.boolean(), step: z.number() }),
    z.object({ type: z.literal("categorical"), choices: z.array(z.json()) }),
  ]),
  /** Where the value goes (instructions, demos, a setting of a step, a module choice...). */
  target: z.looseObject({ kind: z.string() }),
  condition: z.object({ variable: z.string(), in: z.array(z.json()) }).optional(),
  fixed: z.boolean(),
  /** Demo sets: the most demos a value may hold. */
  maxItems: z.number().int().optional(),
});
export type VariableDescription = z.infer<typeof VariableDescriptionSchema>;

/**
 * The zod schema of one variable's value, built from its description with the same rules and
 * messages as the framework's own variable schemas (lib/dspex/variables), so the browser refuses
 * what the server would.
 */
export function variableValueSchema(v: VariableDescription): z.ZodType {
  const d = v.domain;
  if (v.kind === "text") return z.string({ message: "must be text" });
  if (v.kind === "demos") {
    const max = v.maxItems ?? 8;
    return z
      .array(z.record(z.string(), z.json()), { message: "must be a list of demos (objects of field values)" })
      .max(max, { message: `must hold at most ${max} demos` });
  }
  if (d.type === "float" || d.type === "int") {
    let s: z.ZodType<number> = z.number({ message: "must be a number" }).min(d.low, { message: `must be at least ${d.low}` }).max(d.high, { message: `must be at most ${d.high}` });
    if (d.type === "int") s = s.refine((x) => Number.isInteger(x), { message: "must be a whole number" });
    const step = d.step;
    if (step !== undefined && d.type === "float") {
      s = s.refine((x) => Math.abs(Math.round((x - d.low) / step) * step - (x - d.low)) < 1e-9, { message: `must be ${d.low} plus a multiple of ${step}` });
    }
    return s;
  }
  const key = (x: unknown) => JSON.stringify(x);
  const listed = new Set(d.choices.map(key));
  return z.json().refine((x) => listed.has(key(x)), { message: `must be one of ${d.choices.map(key).join(", ")}` });
}

/** A configuration (some or all variables) checked variable by variable; unknown names are refused. */
export function configSchemaFor(variables: readonly VariableDescription[]) {
  return z.strictObject(Object.fromEntries(variables.map((v) => [v.name, variableValueSchema(v).optional()])));
}

const RunStats24hSchema = z.object({
  /** Runs started in the last 24 hours. */
  runs: z.number().int().nonnegative(),
  /** Of those, finished with an error. */
  errors: z.number().int().nonnegative(),
  /** errors / finished runs in the last 24 hours (null without finished runs). */
  errorRate: z.number().min(0).max(1).nullable(),
  /** The latest run ever. */
  lastRunAt: isoDate.nullable(),
});

export const ProgramListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  source: z.string(),
  /** Served by this server (its code is loaded); false for rows of programs no longer loaded. */
  served: z.boolean(),
  activeVersion: z.object({ id: z.string(), number: z.number().int() }).nullable(),
  versionCount: z.number().int().nonnegative(),
  stats: RunStats24hSchema,
});
export type ProgramListItem = z.infer<typeof ProgramListItemSchema>;

/** A file in the programs folder that does not load now (its last good programs keep serving). */
export const ProgramLoadErrorSchema = z.object({
  /** Relative to the project, or absolute when the folder is elsewhere. */
  path: z.string(),
  line: z.number().int().positive().nullable(),
  column: z.number().int().positive().nullable(),
  message: z.string(),
  /** Programs still served from this file's last good code. */
  servingPrevious: z.array(z.string()),
});
export type ProgramLoadErrorView = z.infer<typeof ProgramLoadErrorSchema>;

export const ProgramListPageSchema = z.object({
  items: z.array(ProgramListItemSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
  /** Files of the programs folder that failed to load (this server's view). */
  loadErrors: z.array(ProgramLoadErrorSchema),
});

const SignatureFieldViewSchema = z.looseObject({
  name: z.string(),
  kind: z.string(),
  hint: z.string(),
  description: z.string().optional(),
  optional: z.boolean(),
  labels: z.array(z.object({ value: z.string(), description: z.string().optional() })).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});
export type SignatureFieldView = z.infer<typeof SignatureFieldViewSchema>;

export const SignatureViewSchema = z.object({
  instructions: z.string(),
  inputs: z.array(SignatureFieldViewSchema),
  outputs: z.array(SignatureFieldViewSchema),
});

export const ProgramVersionViewSchema = z.object({
  id: z.string(),
  programId: z.string(),
  programName: z.string(),
  number: z.number().int(),
  parentId: z.string().nullable(),
  config: z.record(z.string(), z.json()),
  diff: z.array(z.object({ name: z.string(), before: z.json().optional(), after: z.json().optional() })),
  authorKind: AuthorKindSchema,
  authorId: z.string().nullable(),
  /** The person's name (authorKind "user") when known. */
  authorName: z.string().nullable().optional(),
  message: z.string(),
  createdAt: isoDate,
  active: z.boolean(),
});
export type ProgramVersionView = z.infer<typeof ProgramVersionViewSchema>;

export const ProgramDetailSchema = ProgramListItemSchema.extend({
  kind: z.enum(["demo", "user"]).nullable(),
  /** The root module's kind, e.g. "Predict". */
  module: z.string().nullable(),
  signature: SignatureViewSchema.nullable(),
  shorthand: z.string().nullable(),
  /** The module tree of the active version (or the code's defaults without one). */
  moduleTree: ModuleNodeSchema.nullable(),
  variables: z.array(VariableDescriptionSchema),
  constraints: z.array(z.string()),
  active: ProgramVersionViewSchema.nullable(),
  /** The version a rollback would activate now: the one active before the active version was promoted. */
  rollbackTo: z.object({ id: z.string(), number: z.number().int() }).nullable(),
  hasDataset: z.boolean(),
  hasMetric: z.boolean(),
});
export type ProgramDetail = z.infer<typeof ProgramDetailSchema>;

export const ProgramVersionPageSchema = z.object({
  items: z.array(ProgramVersionViewSchema),
  total: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  limit: z.number().int().min(1),
});

export const ProgramVersionPageQuerySchema = PageQuerySchema;

export const ProgramVersionParamsSchema = z.object({ name: ProgramNameSchema, id: IdSchema });

/** GET .../versions/{id}/diff: against `against` (a version id), default the version's parent. */
export const VersionDiffPageQuerySchema = z.object({ against: IdSchema.optional() });

export const VersionDiffViewSchema = z.object({
  /** null when the version has no parent (a first version: no changes). */
  from: z.object({ id: z.string(), number: z.number().int() }).nullable(),
  to: z.object({ id: z.string(), number: z.number().int() }),
  changes: z.array(z.object({ name: z.string(), before: z.json().optional(), after: z.json().optional() })),
});
export type VersionDiffView = z.infer<typeof VersionDiffViewSchema>;

/** POST /api/v1/programs/{name}/versions: the variables to change, checked against the program's space. */
export const CreateVersionBodySchema = z.strictObject({
  config: ConfigSchema,
  message: z.string().trim().max(1000, "must be at most 1000 characters").default(""),
  /** The version this one derives from (default: the active version). */
  parentId: IdSchema.optional(),
  /** Make it the active version at once. */
  activate: z.boolean().default(false),
});
export type CreateVersionBody = z.input<typeof CreateVersionBodySchema>;

export const ActivationViewSchema = z.object({
  programName: z.string(),
  active: ProgramVersionViewSchema,
  previousId: z.string().nullable(),
  /** Who made the version active (a person or an API key). */
  activatedBy: z.string().nullable(),
});
