import { Suspense } from "react";
import { RunsTable, type RunFilterOptions } from "@/components/runs";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";
export const metadata = { title: "Runs & Traces" };

/** What the filter selects offer: programs, the chosen program's versions, API keys. */
async function filterOptions(programName: string | undefined): Promise<RunFilterOptions> {
  const prisma = getRuntime().db.prisma;
  const [programs, apiKeys, versions] = await Promise.all([
    prisma.program.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 500 }),
    prisma.apiKey.findMany({ select: { id: true, name: true, prefix: true }, orderBy: { createdAt: "desc" }, take: 200 }),
    programName
      ? prisma.programVersion.findMany({ where: { program: { name: programName } }, select: { id: true, number: true }, orderBy: { number: "desc" }, take: 200 })
      : Promise.resolve([]),
  ]);
  return { programs, apiKeys, versions };
}

export default async function RunsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const programName = typeof params.programName === "string" ? params.programName : undefined;
  const options = await filterOptions(programName);
  return (
    <>
      <PageHeader title="Runs & Traces" description="Every run of every program, newest first. Open one to read its trace." />
      <Suspense fallback={<p className="text-sm text-muted">Loading runs…</p>}>
        <RunsTable options={options} />
      </Suspense>
    </>
  );
}
