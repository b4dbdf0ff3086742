import { notFound } from "next/navigation";
import { TraceView } from "@/components/runs";
import { RunScores } from "@/components/scores";
import { AddToDataset } from "@/components/trace-search";
import { LocalTime, PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { TraceSchema } from "@/lib/schemas";
import { isStoreError } from "@/lib/runtime/store";
import { Can } from "@/components/shell/user-menu";

export const dynamic = "force-dynamic";
export const metadata = { title: "Trace" };

export default async function TracePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  let trace;
  try {
    trace = await getRuntime().store.getTrace(decodeURIComponent(id));
  } catch (err) {
    if (isStoreError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  }
  return (
    <>
      <PageHeader title="Runs & Traces" description={
          <>
            {trace.run.program?.name ?? "Run"} · {trace.run.source} · <LocalTime iso={trace.run.startedAt} />
          </>
        }
        actions={
          <Can scope="manage">
            <AddToDataset runId={trace.run.id} output={trace.run.output} />
          </Can>
        }
      />
      <TraceView initial={TraceSchema.parse(trace)} />
      <div className="mt-6">
        <RunScores runId={trace.run.id} />
      </div>
    </>
  );
}
