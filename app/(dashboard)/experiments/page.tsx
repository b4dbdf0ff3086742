import { ExperimentsList, LaunchExperiment } from "@/components/experiments";
import { PageHeader } from "@/components/ui";

export const dynamic = "force-dynamic";
export const metadata = { title: "Experiments" };

export default function ExperimentsPage() {
  return (
    <>
      <PageHeader title="Experiments" description="Versions of a program run on the same examples, compared example by example: how a team decides a promotion." />
      <div className="flex flex-col gap-4">
        <LaunchExperiment />
        <ExperimentsList />
      </div>
    </>
  );
}
