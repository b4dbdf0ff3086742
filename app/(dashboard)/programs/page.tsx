import { Boxes } from "lucide-react";
import { EmptyState, PageHeader } from "@/components/ui";
import { loadCounts } from "../_server/counts";

export const dynamic = "force-dynamic";
export const metadata = { title: "Programs" };

export default async function ProgramsPage() {
  const counts = await loadCounts();
  return (
    <>
      <PageHeader title="Programs" description={`${counts.programs} programs, ${counts.versions} versions`} />
      <EmptyState icon={Boxes} title="No programs yet">
        A program is a DSPEx module tree: signatures, predictors and their variables. Programs placed under{" "}
        <code className="font-mono">programs/</code> and the bundled demo programs are listed here with their versions, variables and a
        playground.
      </EmptyState>
    </>
  );
}
