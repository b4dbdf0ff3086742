// What the dashboard's launch form needs beyond the launch itself: the choices it offers (programs
// with their variables, dataset versions) and the cost estimate, planned exactly as the job plans
// the run (planOptimization) but without running anything.
import type { PrismaClient } from "../../db";
import { createPriceTable, estimateCost, type LM, type PriceTable } from "../../dspex";
import { OPTIMIZER_NAME_VALUES, type ApiErrorField, type CreateOptimizationBodySchema, type OptimizationEstimateSchema, type OptimizationSetupSchema } from "../../schemas";
import { PermanentJobError } from "../jobs/errors";
import { OptimizationRunOptionsSchema, planOptimization } from "../jobs/optimization-plan";
import type { ProgramRegistry, ProgramResolver } from "../programs";
import type { OptimizationView } from "../store";
import { ServingError } from "./errors";
import type { Wire } from "./router";
import type { z } from "zod";

type LaunchBody = z.output<typeof CreateOptimizationBodySchema>;
type Estimate = Wire<typeof OptimizationEstimateSchema>;
type Setup = Wire<typeof OptimizationSetupSchema>;

export interface LaunchEnv {
  readonly prisma: PrismaClient;
  readonly registry: ProgramRegistry;
  readonly resolver: Pick<ProgramResolver, "resolveProgram">;
  /** The LM the estimate prices calls for (its provider and default model); it is never called. */
  readonly lmFor: (program: { readonly id: string; readonly name: string }) => LM;
  readonly prices?: PriceTable;
}

const DATASET_VERSIONS_SHOWN = 200;

/** Programs (with variables and their default dataset version) and the newest dataset versions. */
export async function launchSetup(env: LaunchEnv): Promise<Setup> {
  const versions = await env.prisma.datasetVersion.findMany({
    orderBy: [{ createdAt: "desc" }, { number: "desc" }],
    take: DATASET_VERSIONS_SHOWN,
    select: { id: true, number: true, exampleCount: true, createdAt: true, dataset: { select: { name: true } } },
  });
  const programs = await Promise.all(
    env.registry.programs.map(async (p) => {
      const latest = await env.prisma.datasetVersion.findFirst({ where: { dataset: { name: p.name } }, orderBy: { number: "desc" }, select: { id: true } });
      return {
        name: p.name,
        description: p.description,
        hasMetric: p.metric !== undefined,
        variables: p.space.variables.map((v) => ({ name: v.name, kind: v.kind, description: v.description ?? null, fixed: v.fixed })),
        defaultDatasetVersionId: latest?.id ?? null,
      };
    }),
  );
  return {
    programs,
    datasetVersions: versions.map((v) => ({ id: v.id, datasetName: v.dataset.name, number: v.number, exampleCount: v.exampleCount, createdAt: v.createdAt.toISOString() })),
    optimizers: [...OPTIMIZER_NAME_VALUES],
  };
}

function invalid(fields: ApiErrorField[]): ServingError {
  return new ServingError("INVALID_REQUEST", fields.map((f) => `${f.field} ${f.message}`).join("; "), fields);
}

/** The checks the job would fail on, as field errors (the job itself only reports them on the row). */
async function checkLaunch(env: LaunchEnv, body: LaunchBody): Promise<{ readonly programId: string }> {
  const registered = env.registry.get(body.programName);
  if (!registered) {
    const message = `program "${body.programName}" is not served here; optimizations need the program's code`;
    throw new ServingError("NOT_FOUND", message, [{ field: "programName", message }]);
  }
  const program = await env.prisma.program.findUnique({ where: { name: body.programName }, select: { id: true } });
  if (!program) throw new ServingError("NOT_FOUND", `program "${body.programName}" is not recorded yet`, [{ field: "programName", message: "is not recorded yet" }]);
  const fields: ApiErrorField[] = [];
  if (!registered.metric) fields.push({ field: "programName", message: `has no metric; add \`metric\` to its defineServedProgram(...) to optimize it` });
  if (!body.datasetVersionId) fields.push({ field: "datasetVersionId", message: "is required: choose the dataset version to optimize on" });
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
  if (fields.length) throw invalid(fields);
  if (body.datasetVersionId && !(await env.prisma.datasetVersion.findUnique({ where: { id: body.datasetVersionId }, select: { id: true } }))) {
    throw new ServingError("NOT_FOUND", `no dataset version "${body.datasetVersionId}"`, [{ field: "datasetVersionId", message: `no dataset version "${body.datasetVersionId}"` }]);
  }
  return { programId: program.id };
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
  const { programId } = await checkLaunch(env, body);
  let plan;
  try {
    plan = await planOptimization(env.prisma, env.resolver, draftView(body, programId));
  } catch (err) {
    if (err instanceof PermanentJobError) throw new ServingError("INVALID_REQUEST", err.message.replace(/^optimization estimate: /, ""));
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
  });
  const warnings: string[] = [];
  if (body.budget.lmCalls !== undefined && estimate.lmCalls > body.budget.lmCalls) {
    warnings.push(`the plan needs about ${estimate.lmCalls} LM calls, above the budget of ${body.budget.lmCalls}: the run stops at the budget with fewer trials`);
  }
  if (body.budget.usd !== undefined && estimate.usd > body.budget.usd) {
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
