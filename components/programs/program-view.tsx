"use client";

import * as Tabs from "@radix-ui/react-tabs";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { PageHeader } from "@/components/ui";
import { percent, timeAgo } from "./format";
import { ModuleTree } from "./module-tree";
import { Playground } from "./playground";
import { programKeys, useProgram } from "./queries";
import { SignaturePanel } from "./signature-panel";
import { badge } from "./ui";
import { useLiveRefresh } from "./use-live-refresh";
import { VariablesForm } from "./variables-form";
import { VersionsPanel } from "./versions-panel";
import { Can } from "@/components/shell/user-menu";

const TABS = [
  { value: "signature", label: "Signature" },
  { value: "versions", label: "Versions" },
  { value: "variables", label: "Variables" },
  { value: "playground", label: "Playground" },
] as const;
type Tab = (typeof TABS)[number]["value"];

export function ProgramView({ name }: { name: string }) {
  const { data: program, error, isPending } = useProgram(name);
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const tab = (TABS.find((t) => t.value === params.get("tab"))?.value ?? "signature") as Tab;
  useLiveRefresh(program ? `programs:${program.id}` : undefined, programKeys.detail(name));

  const setTab = (value: string) => {
    const sp = new URLSearchParams(params);
    if (value === "signature") sp.delete("tab");
    else sp.set("tab", value);
    router.replace(`${pathname}${sp.size ? `?${sp}` : ""}`, { scroll: false });
  };

  const description = program ? (
    <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
      {program.description && <span>{program.description}</span>}
      <span className="font-mono text-xs">{program.source}</span>
      {program.active && <span className={`${badge} bg-accent text-accent-fg`} data-testid="active-version">active v{program.active.number}</span>}
      <span className="text-xs">
        {program.stats.runs} runs in 24 h · errors {percent(program.stats.errorRate)} · last run {timeAgo(program.stats.lastRunAt)}
      </span>
    </span>
  ) : undefined;

  return (
    <>
      <Link href="/programs" className="mb-2 inline-flex items-center gap-1 text-sm text-muted hover:text-fg">
        <ArrowLeft aria-hidden className="size-4" /> Programs
      </Link>
      <PageHeader title={name} description={description} />
      {error && <p className="text-sm text-bad">Could not load program "{name}": {error.message}</p>}
      {isPending && <p className="text-sm text-muted">Loading…</p>}
      {program && !program.served && (
        <p className="mb-4 rounded-md border border-border bg-subtle px-3 py-2 text-sm">
          This program&apos;s code is not loaded by this server, so its variables and playground are unavailable. Its versions are still listed.
        </p>
      )}
      {program && (
        <Tabs.Root value={tab} onValueChange={setTab}>
          <Tabs.List aria-label="Program sections" className="mb-4 flex gap-1 overflow-x-auto border-b border-border">
            {TABS.map((t) => (
              <Tabs.Trigger
                key={t.value}
                value={t.value}
                className="-mb-px whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm text-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent data-[state=active]:border-accent data-[state=active]:font-medium data-[state=active]:text-fg"
              >
                {t.label}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <Tabs.Content value="signature" className="grid gap-4 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <SignaturePanel program={program} />
            </div>
            <ModuleTree program={program} />
          </Tabs.Content>
          <Tabs.Content value="versions">
            <VersionsPanel program={program} />
          </Tabs.Content>
          <Tabs.Content value="variables">
            <Can scope="manage" otherwise={<p className="text-sm text-muted" data-testid="role-note">Your role can read but not save new versions; ask an administrator for the maintainer role.</p>}>
              <VariablesForm program={program} onSaved={() => setTab("versions")} />
            </Can>
          </Tabs.Content>
          <Tabs.Content value="playground">
            <Can scope="predict" otherwise={<p className="text-sm text-muted" data-testid="role-note">Your role can read but not run programs; ask an administrator for the maintainer role.</p>}>
              <Playground program={program} />
            </Can>
          </Tabs.Content>
        </Tabs.Root>
      )}
    </>
  );
}
