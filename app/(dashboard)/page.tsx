import { Boxes, Database, FlaskConical, Play } from "lucide-react";
import Link from "next/link";
import { OverviewMetrics } from "@/components/overview";
import { Card, CardBody, CardHeader, PageHeader } from "@/components/ui";
import { getRuntime } from "@/lib/runtime";
import { overviewMetrics } from "@/lib/runtime/services";
import { SystemPanel } from "./_components/system-panel";

export const dynamic = "force-dynamic";
export const metadata = { title: "Overview" };

const NEXT_STEPS = [
  { href: "/programs", icon: Boxes, text: "Add a program: put it under programs/ and it appears under Programs." },
  { href: "/datasets", icon: Database, text: "Import a dataset (JSONL or CSV) to evaluate and optimize against." },
  { href: "/optimizations", icon: FlaskConical, text: "Launch an optimization and watch its trials arrive live." },
  { href: "/runs", icon: Play, text: "Call a program through the API and read its trace under Runs & Traces." },
];

export default async function OverviewPage() {
  const runtime = getRuntime();
  const metrics = await overviewMetrics(runtime.store, runtime.supervisor, new Date());
  const status = runtime.status();
  return (
    <>
      <PageHeader title="Overview" description="The last hour of this DSPEx server, updated live." />
      <OverviewMetrics initial={metrics} />
      <div className="mt-4">
        <SystemPanel initial={status} />
      </div>
      <Card className="mt-4">
        <CardHeader title="Next steps" />
        <CardBody>
          <ul className="grid gap-2 text-sm md:grid-cols-2">
            {NEXT_STEPS.map(({ href, icon: Icon, text }) => (
              <li key={href}>
                <Link href={href} className="flex items-start gap-2 rounded-md p-2 hover:bg-subtle">
                  <Icon aria-hidden className="mt-0.5 size-4 shrink-0 text-accent" />
                  <span>{text}</span>
                </Link>
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>
    </>
  );
}
