import { Coins } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Costs" };

export default async function CostsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Costs" description={`${counts.lmCalls} LM calls recorded, ${counts.budgets} budgets`} />
      <EmptyState icon={Coins} title="Nothing spent yet">
        Spend by model, program, API key and day appears here as LM calls are made, with budgets that stop spending before a limit and a
        month-end forecast.
      </EmptyState>
    </>
  );
}
