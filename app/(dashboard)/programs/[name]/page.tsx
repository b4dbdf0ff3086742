import { Suspense } from "react";
import { ProgramView } from "@/components/programs";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: decodeURIComponent((await params).name) };
}

export default async function ProgramPage({ params }: { params: Promise<{ name: string }> }) {
  const name = decodeURIComponent((await params).name);
  return (
    <Suspense>
      <ProgramView name={name} />
    </Suspense>
  );
}
