// Optimizations through the API: list, launch (record + queue), the launch form's choices and cost
// estimate, status with the best trial, stop, resume, the paged trials, and "apply" (promote the
// result version). The job queue runs them; these routes only change their state.
import {
  type ApplyOptimizationResponseSchema,
  type OptimizationPageSchema,
  type OptimizationSchema,
  type OptimizationStatusResponseSchema,
  type TrialDetailSchema,
  type TrialPageSchema,
  type Wire,
} from "../../schemas";
import type { ProgramRegistry } from "../programs";
import { checkLaunch, estimateLaunch, launchSetup, lazyPrices, type LaunchEnv } from "../services";
import type { OptimizationView, Store } from "../store";
import { ServingError } from "./errors";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";
import type { OptimizationJobs, ServingDeps } from "./types";

type Optimization = Wire<typeof OptimizationSchema>;
type StatusResponse = Wire<typeof OptimizationStatusResponseSchema>;

export interface OptimizationEnv extends LaunchEnv {
  readonly store: LaunchEnv["store"] & Pick<Store, "createOptimization" | "getOptimization" | "listOptimizations" | "listTrials" | "getTrial" | "setOptimizationStatus" | "setOptimizationJob" | "promoteVersion">;
  readonly registry: ProgramRegistry;
  readonly jobs: OptimizationJobs;
  /** Called after "apply" made a version active (to forget cached active versions). */
  readonly onPromoted?: (programName: string) => void;
  readonly onError?: (error: unknown, context: { readonly route: string }) => void;
}

/** The environment of these routes, from the serving API's dependencies. */
export function optimizationEnv(deps: ServingDeps, onPromoted?: (programName: string) => void): OptimizationEnv {
  return {
    store: deps.store,
    registry: deps.registry,
    resolver: deps.resolver,
    jobs: deps.jobs,
    // Only the provider and default model are read (to price calls); the LM is never called.
    lmFor: (program) => deps.lmFor({ programId: program.id, programName: program.name, versionId: "", apiKeyId: null }),
    ...(deps.prices && { prices: deps.prices }),
    ...(deps.servedBy && { servedBy: deps.servedBy }),
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
    await env.store.setOptimizationStatus(id, { status: "failed", error: `could not be queued: ${why}` }).catch((e: unknown) => env.onError?.(e, { route: "optimizations" }));
    throw new ServingError("QUEUE_UNAVAILABLE", `optimization ${id} could not be queued (${why}); it is marked failed: resume it later`);
  }
  await env.store.setOptimizationJob(id, jobId);
}

async function cancelJob(env: OptimizationEnv, view: OptimizationView): Promise<void> {
  if (!view.jobId) return;
  // The status change is what the worker obeys; a failed cancel only delays it.
  await env.jobs.cancel(view.jobId).catch((err: unknown) => env.onError?.(err, { route: "optimizations/stop" }));
}

export function optimizationRoutes(env: OptimizationEnv): Route[] {
  const { store } = env;
  const create = implement(routes.createOptimization, async ({ body, caller }) => {
    const { datasetVersionId } = await checkLaunch(env, body);
    const created = await store.createOptimization({ ...body, datasetVersionId, createdBy: caller.kind === "key" ? `apiKey:${caller.key.id}` : `user:${caller.user.id}` });
    await enqueue(env, created.id);
    const view: Optimization = await store.getOptimization(created.id);
    return { status: 201, body: view, headers: { location: `/api/v1/optimizations/${view.id}` } };
  });

  const status = implement(routes.getOptimization, async ({ params }) => {
    const view = await store.getOptimization(params.id);
    const top = (evaluation?: "full") => store.listTrials({ optimizationId: view.id, sort: "score", order: "desc", status: "complete", limit: 1, ...(evaluation && { evaluation }) });
    const best = (await top("full")).items[0] ?? (await top()).items[0] ?? null;
    const body: StatusResponse = { ...view, best: best && best.score !== null ? best : null };
    return { status: 200, body };
  });

  const stop = implement(routes.stopOptimization, async ({ params }) => {
    const view = await store.getOptimization(params.id);
    if (view.status === "stopping") return { status: 200, body: view };
    if (view.status !== "queued" && view.status !== "running") throw conflict(`optimization ${view.id} is ${view.status}; only ${STOPPABLE} optimizations can be stopped`);
    const next = await store.setOptimizationStatus(view.id, { status: view.status === "queued" ? "stopped" : "stopping" });
    await cancelJob(env, view);
    const body: Optimization = next;
    return { status: 200, body };
  });

  const resume = implement(routes.resumeOptimization, async ({ params }) => {
    const view = await store.getOptimization(params.id);
    if (view.status !== "stopped" && view.status !== "failed") throw conflict(`optimization ${view.id} is ${view.status}; only ${RESUMABLE} optimizations can be resumed`);
    await store.setOptimizationStatus(view.id, { status: "queued" });
    await enqueue(env, view.id);
    const body: Optimization = await store.getOptimization(view.id);
    return { status: 200, body };
  });

  const trials = implement(routes.listTrials, async ({ params, query }) => {
    const page: Wire<typeof TrialPageSchema> = await store.listTrials({ ...query, optimizationId: params.id });
    return { status: 200, body: page };
  });

  const trial = implement(routes.getTrial, async ({ params }) => {
    const body: Wire<typeof TrialDetailSchema> = await store.getTrial(params.id, params.number);
    return { status: 200, body };
  });

  const list = implement(routes.listOptimizations, async ({ query }) => {
    const page: Wire<typeof OptimizationPageSchema> = await store.listOptimizations(query);
    return { status: 200, body: page };
  });

  const setup = implement(routes.optimizationSetup, async () => ({ status: 200, body: await launchSetup(env) }));

  const prices = lazyPrices();
  const estimate = implement(routes.estimateOptimization, async ({ body }) => ({ status: 200, body: await estimateLaunch(env, body, prices) }));

  const apply = implement(routes.applyOptimization, async ({ params }) => {
    const view = await store.getOptimization(params.id);
    if (!view.resultVersionId) {
      if (view.status !== "completed") throw conflict(`optimization ${view.id} is ${view.status}; its best configuration becomes a version to apply when it completes`);
      const message = `optimization ${view.id} found nothing better than its base version, so it has no result version to apply`;
      throw new ServingError("NOT_FOUND", message, [{ field: "resultVersionId", message }]);
    }
    const result = await store.promoteVersion(view.resultVersionId);
    env.onPromoted?.(result.programName);
    const body: Wire<typeof ApplyOptimizationResponseSchema> = {
      optimizationId: view.id,
      programName: result.programName,
      versionId: result.active.id,
      versionNumber: result.active.number,
      previousVersionId: result.previousId,
    };
    return { status: 200, body };
  });

  // Literal paths first: /optimizations/setup must not be read as an optimization id.
  return [list, setup, estimate, create, status, stop, resume, trials, trial, apply];
}
