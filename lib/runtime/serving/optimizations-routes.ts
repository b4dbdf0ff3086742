// Optimizations through the API: list, launch (record + queue), the launch form's choices and cost
// estimate, status with the best trial, stop, resume, the paged trials, and "apply" (promote the
// result version). The job queue runs them; these routes only change their state.
import type { z } from "zod";
import type { PrismaClient } from "../../db";
import {
  ApplyOptimizationResponseSchema,
  CreateOptimizationBodySchema,
  OptimizationEstimateSchema,
  OptimizationIdParamsSchema,
  OptimizationPageQuerySchema,
  OptimizationPageSchema,
  OptimizationSetupSchema,
  OptimizationSchema,
  OptimizationStatusResponseSchema,
  TrialPageQuerySchema,
  TrialPageSchema,
  type CreateOptimizationBody,
} from "../../schemas";
import type { ProgramRegistry } from "../programs";
import { createOptimization, getOptimization, listOptimizations, listTrials, promoteVersion, setOptimizationStatus, type OptimizationView } from "../store";
import { ServingError } from "./errors";
import { estimateLaunch, launchSetup, lazyPrices, type LaunchEnv } from "./optimizations-launch";
import { defineRoute, type Route, type Wire } from "./router";
import type { OptimizationJobs, ServingDeps } from "./types";

type Optimization = Wire<typeof OptimizationSchema>;
type StatusResponse = Wire<typeof OptimizationStatusResponseSchema>;

export interface OptimizationEnv extends LaunchEnv {
  readonly prisma: PrismaClient;
  readonly registry: ProgramRegistry;
  readonly jobs: OptimizationJobs;
  /** Called after "apply" made a version active (to forget cached active versions). */
  readonly onPromoted?: (programName: string) => void;
  readonly onError?: (error: unknown, context: { readonly route: string }) => void;
}

/** The environment of these routes, from the serving API's dependencies. */
export function optimizationEnv(deps: ServingDeps, onPromoted?: (programName: string) => void): OptimizationEnv {
  return {
    prisma: deps.prisma,
    registry: deps.registry,
    resolver: deps.resolver,
    jobs: deps.jobs,
    // Only the provider and default model are read (to price calls); the LM is never called.
    lmFor: (program) => deps.lmFor({ programId: program.id, programName: program.name, versionId: "", apiKeyId: null }),
    ...(deps.prices && { prices: deps.prices }),
    ...(deps.onError && { onError: deps.onError }),
    ...(onPromoted && { onPromoted }),
  };
}

const STOPPABLE = "queued or running";
const RESUMABLE = "stopped or failed";

function conflict(message: string): ServingError {
  return new ServingError("CONFLICT", message, [{ field: "status", message }]);
}

/** Queues the optimization's job and stores its id; if the queue refuses, the optimization is marked failed. */
async function enqueue(env: OptimizationEnv, id: string): Promise<void> {
  let jobId: string;
  try {
    jobId = (await env.jobs.enqueue("optimization", { optimizationId: id })).id;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    await setOptimizationStatus(env.prisma, id, { status: "failed", error: `could not be queued: ${why}` }).catch((e: unknown) => env.onError?.(e, { route: "optimizations" }));
    throw new ServingError("QUEUE_UNAVAILABLE", `optimization ${id} could not be queued (${why}); it is marked failed: resume it later`);
  }
  await env.prisma.optimization.updateMany({ where: { id }, data: { jobId } });
}

async function cancelJob(env: OptimizationEnv, view: OptimizationView): Promise<void> {
  if (!view.jobId) return;
  // The status change is what the worker obeys; a failed cancel only delays it.
  await env.jobs.cancel(view.jobId).catch((err: unknown) => env.onError?.(err, { route: "optimizations/stop" }));
}

export function optimizationRoutes(env: OptimizationEnv): Route[] {
  const { prisma } = env;
  const id = { params: OptimizationIdParamsSchema, tag: "optimizations", auth: true } as const;

  const create = defineRoute<undefined, z.output<typeof CreateOptimizationBodySchema>>(
    {
      method: "POST",
      path: "/api/v1/optimizations",
      operationId: "createOptimization",
      summary: "Launch an optimization",
      description:
        "Records the optimization (status queued; the base version defaults to the program's active version) and queues its job. The API key is recorded as its creator.",
      tag: "optimizations",
      auth: true,
      body: {
        name: "CreateOptimizationBody",
        schema: CreateOptimizationBodySchema,
        example: { programName: "qa", optimizer: "mipro-v2", options: { auto: "light" }, seed: 7, budget: { usd: 2, lmCalls: 500 } } satisfies CreateOptimizationBody,
        limit: "single",
      },
      success: { status: 201, name: "Optimization", schema: OptimizationSchema, description: "The queued optimization." },
      errors: ["NOT_FOUND", "CONFLICT", "QUEUE_UNAVAILABLE"],
    },
    async ({ body, caller }) => {
      if (!env.registry.get(body.programName)) {
        const message = `program "${body.programName}" is not served here; optimizations need the program's code`;
        throw new ServingError("NOT_FOUND", message, [{ field: "programName", message }]);
      }
      const created = await createOptimization(prisma, { ...body, createdBy: caller.kind === "key" ? `apiKey:${caller.key.id}` : `user:${caller.user.id}` });
      await enqueue(env, created.id);
      const view: Optimization = await getOptimization(prisma, created.id);
      return { status: 201, body: view, headers: { location: `/api/v1/optimizations/${view.id}` } };
    },
  );

  const status = defineRoute(
    {
      ...id,
      method: "GET",
      path: "/api/v1/optimizations/{id}",
      operationId: "getOptimization",
      summary: "An optimization's status, best trial and spend",
      success: { status: 200, name: "OptimizationStatus", schema: OptimizationStatusResponseSchema, description: "The optimization with its best trial so far (null before any trial completes)." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const view = await getOptimization(prisma, params.id!);
      const top = (evaluation?: "full") => listTrials(prisma, { optimizationId: view.id, sort: "score", order: "desc", status: "complete", limit: 1, ...(evaluation && { evaluation }) });
      const best = (await top("full")).items[0] ?? (await top()).items[0] ?? null;
      const body: StatusResponse = { ...view, best: best && best.score !== null ? best : null };
      return { status: 200, body };
    },
  );

  const stop = defineRoute(
    {
      ...id,
      method: "POST",
      path: "/api/v1/optimizations/{id}/stop",
      operationId: "stopOptimization",
      summary: "Stop an optimization",
      description: "A queued optimization stops at once; a running one becomes `stopping` and stops after its current trial (its checkpoint allows a resume). Stopping a stopping one changes nothing.",
      success: { status: 200, name: "Optimization", schema: OptimizationSchema, description: "The optimization after the request." },
      errors: ["NOT_FOUND", "CONFLICT"],
    },
    async ({ params }) => {
      const view = await getOptimization(prisma, params.id!);
      if (view.status === "stopping") return { status: 200, body: view };
      if (view.status !== "queued" && view.status !== "running") throw conflict(`optimization ${view.id} is ${view.status}; only ${STOPPABLE} optimizations can be stopped`);
      const next = await setOptimizationStatus(prisma, view.id, { status: view.status === "queued" ? "stopped" : "stopping" });
      await cancelJob(env, view);
      const body: Optimization = next;
      return { status: 200, body };
    },
  );

  const resume = defineRoute(
    {
      ...id,
      method: "POST",
      path: "/api/v1/optimizations/{id}/resume",
      operationId: "resumeOptimization",
      summary: "Resume a stopped or failed optimization",
      description: "Queues the optimization again; it continues from its checkpoint (finished trials are not repeated).",
      success: { status: 200, name: "Optimization", schema: OptimizationSchema, description: "The queued optimization." },
      errors: ["NOT_FOUND", "CONFLICT", "QUEUE_UNAVAILABLE"],
    },
    async ({ params }) => {
      const view = await getOptimization(prisma, params.id!);
      if (view.status !== "stopped" && view.status !== "failed") throw conflict(`optimization ${view.id} is ${view.status}; only ${RESUMABLE} optimizations can be resumed`);
      await setOptimizationStatus(prisma, view.id, { status: "queued" });
      await enqueue(env, view.id);
      const body: Optimization = await getOptimization(prisma, view.id);
      return { status: 200, body };
    },
  );

  const trials = defineRoute<z.output<typeof TrialPageQuerySchema>, undefined>(
    {
      ...id,
      method: "GET",
      path: "/api/v1/optimizations/{id}/trials",
      operationId: "listTrials",
      summary: "An optimization's trials",
      description: "Paged (page, limit) and sorted by number, score, costUsd, latencyMs or createdAt (order asc or desc; unscored trials last by score); filters: status, evaluation.",
      query: TrialPageQuerySchema,
      success: { status: 200, name: "TrialPage", schema: TrialPageSchema, description: "One page of trials with the total count." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, query }) => {
      const page: Wire<typeof TrialPageSchema> = await listTrials(prisma, { ...query, optimizationId: params.id! });
      return { status: 200, body: page };
    },
  );

  const list = defineRoute<z.output<typeof OptimizationPageQuerySchema>, undefined>(
    {
      method: "GET",
      path: "/api/v1/optimizations",
      operationId: "listOptimizations",
      summary: "Optimizations, newest first",
      description: "Paged (page, limit); filters: programName, status.",
      tag: "optimizations",
      auth: true,
      query: OptimizationPageQuerySchema,
      success: { status: 200, name: "OptimizationPage", schema: OptimizationPageSchema, description: "One page of optimizations with the total count." },
      errors: [],
    },
    async ({ query }) => {
      const page: Wire<typeof OptimizationPageSchema> = await listOptimizations(prisma, query);
      return { status: 200, body: page };
    },
  );

  const setup = defineRoute(
    {
      method: "GET",
      path: "/api/v1/optimizations/setup",
      operationId: "optimizationSetup",
      summary: "What a launch can choose from",
      description: "The served programs with their variables (to choose which to search) and default dataset version (the newest version of the dataset named like the program), the newest dataset versions, and the optimizers.",
      tag: "optimizations",
      auth: true,
      success: { status: 200, name: "OptimizationSetup", schema: OptimizationSetupSchema, description: "Programs, dataset versions and optimizers." },
      errors: [],
    },
    async () => ({ status: 200, body: await launchSetup(env) }),
  );

  const prices = lazyPrices();
  const estimate = defineRoute<undefined, z.output<typeof CreateOptimizationBodySchema>>(
    {
      method: "POST",
      path: "/api/v1/optimizations/estimate",
      operationId: "estimateOptimization",
      summary: "Estimate a launch without running it",
      description:
        "Plans the launch exactly as its job would (program, dataset splits, variables to search, optimizer) and prices the planned LM calls; nothing is recorded or run. Answers 400 with the field at fault for what the job would refuse (no dataset version, unknown variables in options.search, no metric).",
      tag: "optimizations",
      auth: true,
      body: {
        name: "CreateOptimizationBody",
        schema: CreateOptimizationBodySchema,
        example: { programName: "qa", datasetVersionId: "dv_123", optimizer: "tpe", options: { search: ["generate.temperature"] }, seed: 1, budget: { usd: 1, lmCalls: 100 } } satisfies CreateOptimizationBody,
        limit: "single",
      },
      success: { status: 200, name: "OptimizationEstimate", schema: OptimizationEstimateSchema, description: "Trials, LM calls and dollars the plan needs, and budgets it goes beyond." },
      errors: ["NOT_FOUND"],
    },
    async ({ body }) => ({ status: 200, body: await estimateLaunch(env, body, prices) }),
  );

  const apply = defineRoute(
    {
      ...id,
      method: "POST",
      path: "/api/v1/optimizations/{id}/apply",
      operationId: "applyOptimization",
      summary: "Apply the best configuration: make the result version active",
      description:
        "A completed optimization whose best configuration beat the base version saved it as a new program version (resultVersionId); this promotes that version to the program's active version. 409 before the optimization completes; 404 when it completed without a better version.",
      success: { status: 200, name: "AppliedOptimization", schema: ApplyOptimizationResponseSchema, description: "The version now active and the one active before." },
      errors: ["NOT_FOUND", "CONFLICT"],
    },
    async ({ params }) => {
      const view = await getOptimization(prisma, params.id!);
      if (!view.resultVersionId) {
        if (view.status !== "completed") throw conflict(`optimization ${view.id} is ${view.status}; its best configuration becomes a version to apply when it completes`);
        const message = `optimization ${view.id} found nothing better than its base version, so it has no result version to apply`;
        throw new ServingError("NOT_FOUND", message, [{ field: "resultVersionId", message }]);
      }
      const result = await promoteVersion(prisma, view.resultVersionId);
      env.onPromoted?.(result.programName);
      const body: Wire<typeof ApplyOptimizationResponseSchema> = {
        optimizationId: view.id,
        programName: result.programName,
        versionId: result.active.id,
        versionNumber: result.active.number,
        previousVersionId: result.previousId,
      };
      return { status: 200, body };
    },
  );

  // Literal paths first: /optimizations/setup must not be read as an optimization id.
  return [list, setup, estimate, create, status, stop, resume, trials, apply];
}
