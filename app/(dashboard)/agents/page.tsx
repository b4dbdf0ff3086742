import { AgentsLive } from "@/components/agents";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { readSupervision } from "@/lib/runtime/services";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agents" };

export default async function AgentsPage() {
  const runtime = getRuntime();
  const supervision = await readSupervision(runtime.store, runtime.supervisor);
  return (
    <>
      <PageHeader title="Agents" description="The runtime's supervised processes and agent systems, live." />
      <AgentsLive initial={supervision} />
    </>
  );
}
