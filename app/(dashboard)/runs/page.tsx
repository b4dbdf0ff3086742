import { Search } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { RunsTable } from "@/components/runs";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs & Traces" };

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const programName = typeof params.programName === "string" ? params.programName : undefined;
  const options = await getRuntime().store.runFilterChoices(programName);
  return (
    <>
      <PageHeader title="Runs & Traces" description="Every run of every program, newest first. Open one to read its trace."
        actions={
          <Link href="/runs/search" className="inline-flex h-8 items-center gap-1.5 rounded-md border border-border bg-card px-2.5 text-sm hover:bg-subtle">
            <Search aria-hidden className="size-4" /> Search traces
          </Link>
        }
      />
      <Suspense fallback={<p className="text-sm text-muted">Loading runs…</p>}>
        <RunsTable options={options} />
      </Suspense>
    </>
  );
}
