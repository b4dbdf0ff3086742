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
