import { Suspense } from "react";
import { ProgramsTable } from "@/components/programs";
import { PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Programs" };

export default async function ProgramsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Programs" description={`${counts.programs} programs, ${counts.versions} versions`} />
      <Suspense>
        <ProgramsTable />
      </Suspense>
    </>
  );
}
