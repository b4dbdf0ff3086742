import { Suspense } from "react";
import { TraceSearch } from "@/components/trace-search";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
export const metadata = { title: "Search traces" };

export default async function TraceSearchPage() {
  const { programs } = await getRuntime().store.runFilterChoices();
  return (
    <>
      <PageHeader title="Search traces" description="Find runs by the words of their inputs, outputs and errors, their tags, users and sessions; save the search as a view; add a run to a dataset." />
      <Suspense fallback={<p className="text-sm text-muted">Loading search…</p>}>
        <TraceSearch programs={programs.map((p) => p.name)} />
      </Suspense>
    </>
  );
}
