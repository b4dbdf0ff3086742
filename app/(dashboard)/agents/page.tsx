import { AgentsLive, DeclaredSystems } from "@/components/agents";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { readSupervision } from "@/lib/runtime/services";
import { DeclaredAgentSystemListSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agents" };

export default async function AgentsPage() {
  const runtime = getRuntime();
  const [supervision, declared] = await Promise.all([readSupervision(runtime.store, runtime.supervisor), runtime.agentSystems.list()]);
  return (
    <>
      <PageHeader title="Agents" description="The runtime's supervised processes and agent systems, live." />
      <div className="space-y-4">
        <DeclaredSystems initial={DeclaredAgentSystemListSchema.parse({ items: declared, loadErrors: runtime.agentSystems.loadErrors() })} />
        <AgentsLive initial={supervision} />
      </div>
    </>
  );
}
