import { Database } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Datasets" description={`${counts.datasets} datasets`} />
      <EmptyState icon={Database} title="No datasets yet">
        Datasets hold the examples programs are evaluated and optimized on. They are imported from JSONL or CSV, validated row by row,
        split into train and validation sets, and versioned.
      </EmptyState>
    </>
  );
}
