import { Plus } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { OptimizationsList } from "@/components/optimizations";
import { PageHeader } from "@/components/ui";
import { Can } from "@/components/shell/user-menu";

export const metadata = { title: "Optimizations" };

export default function OptimizationsPage() {
  return (
    <>
      <PageHeader
        title="Optimizations"
        description="Searches of a program's variables against a dataset and its metric, within a budget; live."
        actions={
          <Can scope="optimize">
          <Link href="/optimizations/new" className="inline-flex items-center gap-1.5 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:bg-accent/90">
            <Plus className="size-4" /> New optimization
          </Link>
          </Can>
        }
      />
      {/* The list reads its page and filters from the URL. */}
      <Suspense fallback={<p className="text-sm text-muted">Loading optimizations…</p>}>
        <OptimizationsList />
      </Suspense>
    </>
  );
}
