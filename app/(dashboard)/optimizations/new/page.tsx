import { LaunchForm } from "@/components/optimizations";
import { PageHeader } from "@/components/ui";

export const metadata = { title: "New optimization" };

export default async function NewOptimizationPage({ searchParams }: { searchParams: Promise<{ program?: string | string[] }> }) {
  const { program } = await searchParams;
  return (
    <>
      <PageHeader title="New optimization" description="Choose what to search and the budget; the estimate updates as you type." />
      <LaunchForm {...(typeof program === "string" && { initialProgram: program })} />
    </>
  );
}
