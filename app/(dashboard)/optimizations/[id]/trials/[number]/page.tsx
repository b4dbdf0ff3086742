import { notFound } from "next/navigation";
import { TrialView } from "@/components/optimizations";
import { PageHeader } from "@/components/ui";

export const metadata = { title: "Trial" };

export default async function TrialPage({ params }: { params: Promise<{ id: string; number: string }> }) {
  const { id, number } = await params;
  const n = Number(number);
  if (!Number.isInteger(n) || n < 0) notFound();
  return (
    <>
      <PageHeader title={`Trial ${n}`} description={<span className="font-mono text-xs">{decodeURIComponent(id)}</span>} />
      <TrialView optimizationId={decodeURIComponent(id)} number={n} />
    </>
  );
}
