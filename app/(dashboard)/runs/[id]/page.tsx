import { notFound } from "next/navigation";
import { TraceView } from "@/components/runs";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { TraceSchema } from "@/lib/schemas";
import { getTrace, isStoreError } from "@/lib/runtime/store";

export const dynamic = "force-dynamic";
export const metadata = { title: "Trace" };

export default async function TracePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let trace;
  try {
    trace = await getTrace(getRuntime().db.prisma, decodeURIComponent(id));
  } catch (err) {
    if (isStoreError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  return (
    <>
      <PageHeader title="Runs & Traces" description={`${trace.run.program?.name ?? "Run"} · ${trace.run.source} · ${new Date(trace.run.startedAt).toUTCString()}`} />
      <TraceView initial={TraceSchema.parse(trace)} />
    </>
  );
}
