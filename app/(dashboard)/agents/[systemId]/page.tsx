import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AgentSystemLive } from "@/components/agents";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { demoTeamJobIdOf, demoTeamJobView, isDemoTeamJob, readAgentSystem } from "@/lib/runtime/services";
import { isStoreError } from "@/lib/runtime/store";
import type { AgentSystemDetail, DemoTeamJob } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agent system" };

const notFoundToNull = (err: unknown) => {
  if (isStoreError(err) && err.code === "NOT_FOUND") return null;
  throw err;
};

export default async function AgentSystemPage({ params }: { params: Promise<{ systemId: string }> }) {
  const systemId = decodeURIComponent((await params).systemId);
  const runtime = getRuntime();
  const jobId = demoTeamJobIdOf(systemId);
  const [detail, view] = await Promise.all([
    readAgentSystem(runtime.store, systemId, { page: 1, limit: 100 }).catch(notFoundToNull),
    jobId ? runtime.jobs.get(jobId).catch(notFoundToNull) : Promise.resolve(null),
  ]);
  const job: DemoTeamJob | null = view && isDemoTeamJob(view) ? demoTeamJobView(view) : null;
  if (!detail && !job) notFound();
  // A demo team that has just been queued has no agents yet: they arrive live.
  const initial: AgentSystemDetail = detail ?? { systemId, agents: [], events: { items: [], total: 0, page: 1, limit: 100 }, jobId };
  return (
    <>
      <PageHeader
        title="Agents"
        description={
          <>
            Agent system <span className="font-medium text-fg" data-testid="system-id">{systemId}</span>
            {job && <> · the demo team (coder and reviewer)</>}
          </>
        }
        actions={
          <Link href="/agents" className="inline-flex items-center gap-1.5 rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-subtle">
            <ArrowLeft aria-hidden className="size-4" />
            All agents
          </Link>
        }
      />
      <AgentSystemLive key={systemId} initial={initial} initialJob={job} />
    </>
  );
}
