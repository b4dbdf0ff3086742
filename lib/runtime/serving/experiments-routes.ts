// Experiments over the API: launch (recorded, then run by the "experiment" job), read one with its
// per-example results, list them.
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { ServingError } from "./errors";
import { implement, type Route } from "./router";
import type { ExperimentJobs } from "./types";

export interface ExperimentsEnv {
  readonly store: Pick<Store, "createExperiment" | "getExperiment" | "listExperiments" | "setExperimentStatus">;
  readonly jobs?: ExperimentJobs;
}

export function experimentsRoutes(env: ExperimentsEnv): Route[] {
  const { store } = env;
  const create = implement(routes.createExperiment, async ({ body }) => {
    const jobs = env.jobs;
    if (!jobs) throw new ServingError("QUEUE_UNAVAILABLE", "this server has no job queue for experiments; start it with the runtime (npm start)");
    const experiment = await store.createExperiment(body);
    try {
      await jobs.enqueue("experiment", { experimentId: experiment.id, concurrency: body.concurrency });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      await store.setExperimentStatus(experiment.id, "failed", `not queued: ${why}`);
      throw new ServingError("QUEUE_UNAVAILABLE", `the experiment could not be queued: ${why}`);
    }
    return { status: 201, body: experiment };
  });
  const get = implement(routes.getExperiment, async ({ params }) => ({ status: 200, body: await store.getExperiment(params.id) }));
  const list = implement(routes.listExperiments, async ({ query }) => ({ status: 200, body: await store.listExperiments(query) }));
  return [create, get, list];
}
