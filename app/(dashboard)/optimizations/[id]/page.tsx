import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { RunView } from "@/components/optimizations";

export const metadata = { title: "Optimization" };

export default async function OptimizationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader
        title="Optimization"
        description={<span className="font-mono text-xs">{id}</span>}
        actions={
          <Link href={`/optimizations/compare?ids=${encodeURIComponent(id)}`} className="rounded-md border border-border px-3 py-1.5 text-sm hover:bg-subtle">
            Compare…
          </Link>
        }
      />
      <RunView id={id} />
    </>
  );
}
