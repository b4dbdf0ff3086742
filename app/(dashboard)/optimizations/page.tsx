import { FlaskConical } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Optimizations" };

export default async function OptimizationsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Optimizations" description={`${counts.optimizations} optimizations`} />
      <EmptyState icon={FlaskConical} title="No optimizations yet">
        An optimization searches a program&apos;s variables (instructions, demos, temperature, model, module) against a dataset and a
        metric, within a budget. Each trial appears here live, with its score and cost.
      </EmptyState>
    </>
  );
}
