import { Suspense } from "react";
import { DatasetsList, ImportDialog } from "@/components/datasets";
import { PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";
import { Can } from "@/components/shell/user-menu";

export const dynamic = "force-dynamic";
export const metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader
        title="Datasets"
        description={`${counts.datasets} dataset${counts.datasets === 1 ? "" : "s"}: versioned examples that programs are evaluated and optimized on`}
        actions={
          <Can scope="manage">
            <ImportDialog />
          </Can>
        }
      />
      <Suspense fallback={<p className="text-sm text-muted">Loading datasets…</p>}>
        <DatasetsList />
      </Suspense>
    </>
  );
}
