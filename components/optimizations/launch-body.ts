// The launch form's values, the API body built from them, and field errors both ways: the body is
// checked with the same schema the server uses (CreateOptimizationBodySchema), and the server's
// per-field errors ("budget.usd", "options.search") land on the form's fields.
import { CreateOptimizationBodySchema, type CreateOptimizationBody } from "@/lib/schemas";

export interface LaunchValues {
  programName: string;
  datasetVersionId: string;
  optimizer: string;
  search: string[];
  seed: string;
  budgetUsd: string;
  budgetLmCalls: string;
  budgetSeconds: string;
}

export type LaunchField = keyof LaunchValues;

const FIELD_OF: Readonly<Record<string, LaunchField>> = {
  programName: "programName",
  datasetVersionId: "datasetVersionId",
  optimizer: "optimizer",
  seed: "seed",
  "budget.usd": "budgetUsd",
  "budget.lmCalls": "budgetLmCalls",
  "budget.seconds": "budgetSeconds",
  "options.search": "search",
};

/** The form field an API field path belongs to (undefined: show it above the form). */
export const fieldOf = (path: string): LaunchField | undefined => FIELD_OF[path] ?? (path.startsWith("options.search") ? "search" : undefined);

const num = (s: string): number | undefined => (s.trim() === "" ? undefined : Number(s));

export function toBody(v: LaunchValues): unknown {
  return {
    programName: v.programName,
    ...(v.datasetVersionId ? { datasetVersionId: v.datasetVersionId } : {}),
    optimizer: v.optimizer,
    seed: num(v.seed) ?? 0,
    options: { search: v.search },
    budget: { usd: num(v.budgetUsd), lmCalls: num(v.budgetLmCalls), seconds: num(v.budgetSeconds) },
  };
}

export type Checked = { readonly ok: true; readonly body: CreateOptimizationBody } | { readonly ok: false; readonly errors: Partial<Record<LaunchField | "root", string>> };

/** Validates the form as the server would, plus what the job needs (a dataset version, a variable to search). */
export function checkLaunch(v: LaunchValues): Checked {
  const errors: Partial<Record<LaunchField | "root", string>> = {};
  const parsed = CreateOptimizationBodySchema.safeParse(toBody(v));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path.map(String).join(".")) ?? "root";
      const message = issue.message.startsWith("Invalid input: expected number, received NaN") ? "must be a number" : issue.message;
      errors[field] ??= message;
    }
  }
  if (!v.datasetVersionId) errors.datasetVersionId ??= "is required: choose the dataset version to optimize on";
  if (v.search.length === 0) errors.search ??= "choose at least one variable to search";
  if (!v.programName) errors.programName ??= "choose a program";
  return parsed.success && Object.keys(errors).length === 0 ? { ok: true, body: parsed.data } : { ok: false, errors };
}
