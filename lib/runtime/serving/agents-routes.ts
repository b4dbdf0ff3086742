// Agent systems and the demo team over HTTP: launch the coder-and-reviewer demo team as a
// job and follow it, and read the agent systems of the Agent table (grouped by systemId) with their
// agents and recent state changes. The dashboard's Agents pages read these once and then follow
// `agent:state` events in the socket room "agents".
import { RunDemoTeamBodySchema, type PageParams } from "../../schemas";
import { DEMO_TEAM_JOB } from "../agents/demo-team";
import { demoTeamJobView, demoTeamSystemId, isDemoTeamJob, listAgentSystems, readAgentSystem } from "../services";
import { NotFoundError, type Store } from "../store";
import { ServingError } from "./errors";
import { routes } from "../../api/routes";
import { implement, type Route } from "./router";
import type { AgentJobs } from "./types";

export interface AgentsEnv {
  readonly store: Pick<Store, "listAgentSystems" | "getAgentSystem">;
  readonly jobs?: AgentJobs;
}

function queueOf(env: AgentsEnv): AgentJobs {
  if (!env.jobs) throw new ServingError("QUEUE_UNAVAILABLE", "this server has no job queue for agent systems; start it with the runtime (npm start)");
  return env.jobs;
}

export function agentsRoutes(env: AgentsEnv): Route[] {
  const runDemoTeam = implement(routes.runDemoTeam, async ({ body }) => {
    const queue = queueOf(env);
    const parsed = RunDemoTeamBodySchema.parse(body);
    let jobId: string;
    try {
      jobId = (await queue.enqueue(DEMO_TEAM_JOB, { ...(parsed.tasks && { tasks: parsed.tasks }), maxRounds: parsed.maxRounds })).id;
    } catch (err) {
      throw new ServingError("QUEUE_UNAVAILABLE", `the demo team could not be queued: ${err instanceof Error ? err.message : String(err)}`);
    }
    return { status: 201, body: { jobId, systemId: demoTeamSystemId(jobId) }, headers: { location: `/api/v1/agents/demo-team/${jobId}` } };
  });

  const demoTeamJob = implement(routes.getDemoTeamJob, async ({ params }) => {
    const view = await queueOf(env).get(params.jobId);
    if (!isDemoTeamJob(view)) throw new NotFoundError("demo-team job", params.jobId, "jobId");
    return { status: 200, body: demoTeamJobView(view) };
  });

  const systems = implement(routes.listAgentSystems, async ({ query }) => {
    const page = query as PageParams;
    const { items, total } = await listAgentSystems(env.store, page);
    return { status: 200, body: { items, total, page: page.page, limit: page.limit } };
  });

  const system = implement(routes.getAgentSystem, async ({ params, query }) => ({ status: 200, body: await readAgentSystem(env.store, params.systemId, query as PageParams) }));

  return [runDemoTeam, demoTeamJob, systems, system];
}
