import { Suspense } from "react";
import { AlertSettingsCard, AlertsView } from "@/components/alerts";
import { PageHeader } from "@/components/ui";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alerts" };

export default function AlertsPage() {
  return (
    <>
      <PageHeader title="Alerts" description="What needs a person: budgets reaching their thresholds, error rate and latency above their limits, breakers open, failed optimizations." />
      <div className="flex flex-col gap-4">
        <Suspense fallback={<p className="text-sm text-muted">Loading alerts…</p>}>
          <AlertsView />
        </Suspense>
        <AlertSettingsCard />
      </div>
    </>
  );
}
