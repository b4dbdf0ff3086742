import { Activity } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs & Traces" };

export default async function RunsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Runs & Traces" description={`${counts.runs} runs, ${counts.lmCalls} LM calls`} />
      <EmptyState icon={Activity} title="No runs yet">
        Every prediction (through the API, the playground, an evaluation or an agent) is recorded as a run with its span tree and each
        LM call&apos;s exact messages, tokens, cost and latency.
      </EmptyState>
    </>
  );
}
