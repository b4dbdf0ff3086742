import { CompareView } from "@/components/optimizations";
import { PageHeader } from "@/components/ui";

export const metadata = { title: "Compare optimizations" };

export default async function CompareOptimizationsPage({ searchParams }: { searchParams: Promise<{ ids?: string | string[] }> }) {
  const { ids } = await searchParams;
  const list = (Array.isArray(ids) ? ids.join(",") : (ids ?? "")).split(",").map((s) => s.trim()).filter(Boolean).slice(0, 6);
  return (
    <>
      <PageHeader title="Compare optimizations" description={`${list.length} optimization${list.length === 1 ? "" : "s"}`} />
      <CompareView ids={list} />
    </>
  );
}
