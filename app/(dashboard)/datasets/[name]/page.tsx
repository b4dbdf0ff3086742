import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { DatasetDetail } from "@/components/datasets";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { isStoreError } from "@/lib/runtime/store";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `${decodeURIComponent((await params).name)} · Datasets` };
}

export default async function DatasetPage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  const dataset = await getRuntime().store.getDataset(name).catch((err: unknown) => {
    if (isStoreError(err) && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-1 text-xs text-muted">
        <Link href="/datasets" className="hover:underline">Datasets</Link> / {dataset.name}
      </nav>
      <PageHeader title={dataset.name} description={dataset.description || `${dataset.versionCount} version${dataset.versionCount === 1 ? "" : "s"}`} />
      <Suspense fallback={<p className="text-sm text-muted">Loading…</p>}>
        <DatasetDetail name={dataset.name} />
      </Suspense>
    </>
  );
}
