// Agent systems as the dashboard and the API show them: the store's systems, with the demo team's
// job (a system whose id is "demo-team:<jobId>") read through the job queue.
import { DemoTeamProgressSchema, DemoTeamResultSchema, type AgentSystemDetail, type AgentSystemSummary, type DemoTeamJob, type PageParams } from "../../schemas";
import { DEMO_TASKS, DEMO_TEAM_JOB, DemoTeamJobPayloadSchema } from "../agents/demo-team";
import type { JobView } from "../jobs";
import type { Store } from "../store";

const SYSTEM_PREFIX = `${DEMO_TEAM_JOB}:`;

/** The systemId the demo team's agents report under. */
export function demoTeamSystemId(jobId: string): string {
  return `${SYSTEM_PREFIX}${jobId}`;
}

/** The demo-team job id behind a systemId ("demo-team:<jobId>"), else null. */
export function demoTeamJobIdOf(systemId: string): string | null {
  return systemId.startsWith(SYSTEM_PREFIX) && systemId.length > SYSTEM_PREFIX.length ? systemId.slice(SYSTEM_PREFIX.length) : null;
}

const isoOrNull = (v: string | null) => (v === null ? null : new Date(v).toISOString());

/** A demo-team job as the dashboard reads it; tolerant of rows whose progress or result do not parse. */
export function demoTeamJobView(view: JobView): DemoTeamJob {
  const payload = DemoTeamJobPayloadSchema.safeParse(view.payload);
  const ids = (payload.success && payload.data.tasks) || DEMO_TASKS.map((t) => t.id);
  const progress = DemoTeamProgressSchema.safeParse(view.progress);
  const result = DemoTeamResultSchema.safeParse(view.result);
  return {
    jobId: view.id,
    systemId: demoTeamSystemId(view.id),
    status: view.status,
    maxRounds: payload.success ? payload.data.maxRounds : 4,
    tasks: ids.map((id) => ({ id, title: DEMO_TASKS.find((t) => t.id === id)?.title ?? id })),
    progress: progress.success ? progress.data : null,
    result: result.success ? result.data : null,
    error: view.error,
    createdAt: new Date(view.createdAt).toISOString(),
    startedAt: isoOrNull(view.startedAt),
    finishedAt: isoOrNull(view.finishedAt),
  };
}

/** Whether a job is the demo team's. */
export function isDemoTeamJob(view: JobView): boolean {
  return view.kind === DEMO_TEAM_JOB;
}

/** Agent systems, most recently updated first, one page. */
export async function listAgentSystems(store: Pick<Store, "listAgentSystems">, page: PageParams): Promise<{ items: AgentSystemSummary[]; total: number }> {
  return store.listAgentSystems(page, demoTeamJobIdOf);
}

/** One agent system with a page of its state changes; NOT_FOUND when it has no agents. */
export async function readAgentSystem(store: Pick<Store, "getAgentSystem">, systemId: string, page: PageParams): Promise<AgentSystemDetail> {
  return store.getAgentSystem(systemId, page, demoTeamJobIdOf(systemId));
}
