import { Suspense } from "react";
import { CostsView } from "@/components/costs";
import { PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Costs" };

export default async function CostsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Costs" description={`Spend by model, program, API key and day · ${counts.lmCalls} LM calls recorded, ${counts.budgets} budgets`} />
      <Suspense fallback={<p className="text-sm text-muted">Loading costs…</p>}>
        <CostsView />
      </Suspense>
    </>
  );
}
