import { AgentsLive } from "@/components/agents";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { readSupervision } from "@/lib/runtime/serving/supervision-routes";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agents" };

export default async function AgentsPage() {
  const runtime = getRuntime();
  const supervision = await readSupervision(runtime.db.prisma, runtime.supervisor);
  return (
    <>
      <PageHeader title="Agents" description="The runtime's supervised processes and agent systems, live." />
      <AgentsLive initial={supervision} />
    </>
  );
}
