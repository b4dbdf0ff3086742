// What the dashboard's launch form needs beyond the launch itself: the choices it offers (programs
// with their variables, dataset versions) and the cost estimate, planned exactly as the job plans
// the run (planOptimization) but without running anything.
import type { z } from "zod";
import { createPriceTable, estimateCost, type LM, type PriceTable, type ServedBy } from "../../dspex";
import { OPTIMIZER_NAME_VALUES, type CreateOptimizationBodySchema, type OptimizationEstimateSchema, type OptimizationSetupSchema, type Wire } from "../../schemas";
import { PermanentJobError } from "../jobs/errors";
import { OptimizationRunOptionsSchema, planOptimization } from "../jobs/optimization-plan";
import type { ProgramRegistry, ProgramResolver } from "../programs";
import { datasetFitIssues } from "./dataset-fit";
import { StoreError, type OptimizationView, type Store, type StoreIssue } from "../store";

type LaunchBody = z.output<typeof CreateOptimizationBodySchema>;
type Estimate = Wire<typeof OptimizationEstimateSchema>;
type Setup = Wire<typeof OptimizationSetupSchema>;

export interface LaunchEnv {
  readonly store: Pick<Store, "listRecentDatasetVersions" | "latestDatasetVersionId" | "findProgramHead" | "datasetVersionExists" | "loadDatasetSplits">;
  readonly registry: ProgramRegistry;
  readonly resolver: Pick<ProgramResolver, "resolveProgram">;
  /** The LM the estimate prices calls for (its provider and default model); it is never called. */
  readonly lmFor: (program: { readonly id: string; readonly name: string }) => LM;
  readonly prices?: PriceTable;
  readonly servedBy?: ServedBy;
}

const DATASET_VERSIONS_SHOWN = 200;

/** Programs (with variables and their default dataset version) and the newest dataset versions. */
export async function launchSetup(env: LaunchEnv): Promise<Setup> {
  const datasetVersions = await env.store.listRecentDatasetVersions(DATASET_VERSIONS_SHOWN);
  const programs = await Promise.all(
    env.registry.programs.map(async (p) => {
      const defaultDatasetVersionId = await env.store.latestDatasetVersionId(p.name);
      return {
        name: p.name,
        description: p.description,
        hasMetric: p.metric !== undefined,
        variables: p.space.variables.map((v) => ({ name: v.name, kind: v.kind, description: v.description ?? null, fixed: v.fixed })),
        defaultDatasetVersionId,
      };
    }),
  );
  return {
    programs,
    datasetVersions,
    optimizers: [...OPTIMIZER_NAME_VALUES],
  };
}

function invalid(fields: StoreIssue[]): StoreError {
  return new StoreError("INVALID", fields.map((f) => `${f.field} ${f.message}`).join("; "), fields);
}

function notFound(message: string, field: string, fieldMessage = message): StoreError {
  return new StoreError("NOT_FOUND", message, [{ field, message: fieldMessage }]);
}

/**
 * The checks the job would fail on, as field errors (the job itself only reports them on the row),
 * and whether the dataset's fields fit the program's signature. Without a dataset version, the
 * program's default is taken: the newest version of the dataset named after the program.
 */
export async function checkLaunch(env: LaunchEnv, body: LaunchBody): Promise<{ readonly programId: string; readonly datasetVersionId: string }> {
  const registered = env.registry.get(body.programName);
  if (!registered) {
    const message = `program "${body.programName}" is not served here; optimizations need the program's code`;
    throw notFound(message, "programName");
  }
  const program = await env.store.findProgramHead(body.programName);
  if (!program) throw notFound(`program "${body.programName}" is not recorded yet`, "programName", "is not recorded yet");
  const fields: StoreIssue[] = [];
  if (!registered.metric) fields.push({ field: "programName", message: `has no metric; add \`metric\` to its defineServedProgram(...) to optimize it` });
  const datasetVersionId = body.datasetVersionId ?? (await env.store.latestDatasetVersionId(body.programName));
  if (!datasetVersionId) fields.push({ field: "datasetVersionId", message: `is required: no dataset is named "${body.programName}" to take by default; choose the dataset version to optimize on` });
  const options = OptimizationRunOptionsSchema.safeParse(body.options);
  if (!options.success) {
    for (const issue of options.error.issues) {
      const path = ["options", ...issue.path.map(String)].join(".");
      fields.push(issue.code === "unrecognized_keys" ? { field: path, message: `has unknown option(s) ${issue.keys.join(", ")}; options: ${Object.keys(OptimizationRunOptionsSchema.shape).join(", ")}` } : { field: path, message: issue.message });
    }
  } else if (options.data.search) {
    const unknown = options.data.search.filter((n) => !registered.space.get(n));
    const fixed = options.data.search.filter((n) => registered.space.get(n)?.fixed);
    if (unknown.length) fields.push({ field: "options.search", message: `names unknown variable(s) ${unknown.join(", ")}; variables: ${registered.space.names.join(", ")}` });
    else if (fixed.length === options.data.search.length) fields.push({ field: "options.search", message: `only names fixed variables (${fixed.join(", ")}); choose at least one that can change` });
  }
  if (fields.length || !datasetVersionId) throw invalid(fields);
  if (!(await env.store.datasetVersionExists(datasetVersionId))) throw notFound(`no dataset version "${datasetVersionId}"`, "datasetVersionId");
  if (registered.signature) {
    const splits = await env.store.loadDatasetSplits(datasetVersionId);
    const mismatches = datasetFitIssues(registered.signature, [...splits.train, ...splits.validation, ...splits.test]);
    if (mismatches.length) {
      throw new StoreError("INVALID", `the dataset does not fit program "${body.programName}": ${mismatches.map((f) => `${f.field} ${f.message}`).join("; ")}`, mismatches);
    }
  }
  return { programId: program.id, datasetVersionId };
}

/** The launch as the row the job would read (never stored). */
function draftView(body: LaunchBody, programId: string): OptimizationView {
  return {
    id: "estimate",
    program: { id: programId, name: body.programName },
    baseVersionId: body.baseVersionId ?? null,
    resultVersionId: null,
    datasetVersionId: body.datasetVersionId ?? null,
    optimizer: body.optimizer,
    status: "queued",
    options: body.options,
    seed: body.seed,
    budget: { usd: body.budget.usd ?? null, lmCalls: body.budget.lmCalls ?? null, seconds: body.budget.seconds ?? null },
    spent: { usd: 0, lmCalls: 0, seconds: 0 },
    trialCount: 0,
    bestScore: null,
    baselineScore: null,
    estimate: null,
    report: null,
    jobId: null,
    error: null,
    createdBy: null,
    createdAt: new Date().toISOString(),
    startedAt: null,
    endedAt: null,
    hasCheckpoint: false,
  };
}

/** Plans the launch as the job would and prices it: trials, LM calls, dollars, and budgets it exceeds. */
export async function estimateLaunch(env: LaunchEnv, body: LaunchBody, prices: () => PriceTable): Promise<Estimate> {
  const { programId, datasetVersionId } = await checkLaunch(env, body);
  let plan;
  try {
    plan = await planOptimization(env.store, env.resolver, draftView({ ...body, datasetVersionId }, programId));
  } catch (err) {
    if (err instanceof PermanentJobError) throw new StoreError("INVALID", err.message.replace(/^optimization estimate: /, ""));
    throw err;
  }
  const estimate = await estimateCost({
    optimizer: plan.optimizer,
    program: plan.resolved.module,
    space: plan.space,
    trainset: plan.trainset,
    valset: plan.valset,
    lm: env.lmFor({ id: programId, name: body.programName }),
    prices: env.prices ?? prices(),
    ...(env.servedBy && { servedBy: env.servedBy }),
  });
  const warnings: string[] = [];
  if (body.budget.lmCalls !== undefined && estimate.lmCalls > body.budget.lmCalls) {
    warnings.push(`the plan needs about ${estimate.lmCalls} LM calls, above the budget of ${body.budget.lmCalls}: the run stops at the budget with fewer trials`);
  }
  if (body.budget.usd !== undefined && estimate.usd !== null && estimate.usd > body.budget.usd) {
    warnings.push(`the plan costs about $${estimate.usd.toFixed(4)}, above the budget of $${body.budget.usd}: the run stops when the budget is spent`);
  }
  return {
    optimizer: plan.optimizer.name,
    reason: plan.reason,
    trials: estimate.trials,
    lmCalls: estimate.lmCalls,
    usd: estimate.usd,
    notes: [...estimate.notes],
    train: plan.trainset.length,
    val: plan.valset.length,
    heldOut: plan.heldOut,
    variables: plan.space.searchable().map((v) => v.name),
    warnings,
  };
}

/** One price table per process for estimates when the runtime gives none. */
export function lazyPrices(): () => PriceTable {
  let table: PriceTable | undefined;
  return () => (table ??= createPriceTable());
}
