import { LaunchForm } from "@/components/optimizations";
import { PageHeader } from "@/components/ui";
import { Can } from "@/components/shell/user-menu";

export const metadata = { title: "New optimization" };

export default async function NewOptimizationPage({ searchParams }: { searchParams: Promise<{ program?: string | string[] }> }) {
  const { program } = await searchParams;
  return (
    <>
      <PageHeader title="New optimization" description="Choose what to search and the budget; the estimate updates as you type." />
      <Can scope="optimize" otherwise={<p className="text-sm text-muted" data-testid="role-note">Your role can read optimizations but not launch them; ask an administrator for the maintainer role.</p>}>
        <LaunchForm {...(typeof program === "string" && { initialProgram: program })} />
      </Can>
    </>
  );
}
