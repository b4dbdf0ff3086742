import { Bot } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agents" };

export default async function AgentsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Agents" description={`${counts.agents} agents`} />
      <EmptyState icon={Bot} title="No agents running">
        Agents are supervised processes with a mailbox. Their supervision tree, states, restarts and throughput appear here live once a
        program runs as an agent system.
      </EmptyState>
    </>
  );
}
