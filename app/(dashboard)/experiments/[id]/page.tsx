import { ExperimentView } from "@/components/experiments";
import { PageHeader } from "@/components/ui";

export const dynamic = "force-dynamic";
export const metadata = { title: "Experiment" };

export default async function ExperimentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <PageHeader title="Experiment" description="Each version's aggregate, then every example side by side with its traces." />
      <ExperimentView id={decodeURIComponent(id)} />
    </>
  );
}
