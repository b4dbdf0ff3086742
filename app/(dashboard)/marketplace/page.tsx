import { MarketplaceView } from "@/components/marketplace";
import { PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { marketplaceSource } from "@/lib/runtime/serving-deps";
import { readMarketplace } from "@/lib/runtime/services";

export const dynamic = "force-dynamic";
export const metadata = { title: "Marketplace" };

export default async function MarketplacePage() {
  const runtime = getRuntime();
  const marketplace = await readMarketplace(marketplaceSource(runtime));
  return (
    <>
      <PageHeader title="Marketplace" description="Installed skills and actions: where each comes from, what it takes and returns, who uses it, what it costs, and whether it may run." />
      <MarketplaceView initial={marketplace} />
    </>
  );
}
