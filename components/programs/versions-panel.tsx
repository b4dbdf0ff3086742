"use client";

import { useCan } from "@/components/shell/user-menu";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Rocket, Undo2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { toast } from "sonner";
import { Card, CardBody, CardHeader } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { type ProgramDetail, type ProgramVersionView } from "@/lib/schemas";
import { ConfirmDialog } from "./confirm-dialog";
import { DiffView } from "./diff-view";
import { timeAgo } from "./format";
import { programKeys, useVersionDiff, useVersions, VERSIONS_PER_PAGE } from "./queries";
import { badge, btn } from "./ui";

function Author({ v }: { v: ProgramVersionView }) {
  if (v.authorKind === "optimization" && v.authorId) {
    return (
      <Link href={`/optimizations/${encodeURIComponent(v.authorId)}`} className="text-accent hover:underline">
        optimization
      </Link>
    );
  }
  if (v.authorKind === "user") return <span>{v.authorName ?? "a person"}</span>;
  return <span className="text-muted">system</span>;
}

type Pending = { kind: "promote"; version: ProgramVersionView } | { kind: "rollback" } | null;

export function VersionsPanel({ program }: { program: ProgramDetail }) {
  const name = program.name;
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const { data, isPending, error } = useVersions(name, page);
  const chosen = selected ?? data?.items[0]?.id ?? null;
  const diff = useVersionDiff(name, chosen);
  const client = useQueryClient();
  const pages = data ? Math.max(1, Math.ceil(data.total / VERSIONS_PER_PAGE)) : 1;

  const activation = useMutation({
    mutationFn: (p: NonNullable<Pending>) =>
      p.kind === "promote"
        ? callApi(routes.promoteProgramVersion, { params: { name, id: p.version.id } })
        : callApi(routes.rollbackProgram, { params: { name } }),
    onSuccess: (result, p) => {
      toast.success(p.kind === "promote" ? `v${result.active.number} is now active` : `Rolled back to v${result.active.number}`);
      setPending(null);
      void client.invalidateQueries({ queryKey: programKeys.all });
    },
    onError: (err) => toast.error(err.message),
  });

  const rollbackTo = program.rollbackTo;
  const canManage = useCan("manage");

  return (
    <div className="grid gap-4 xl:grid-cols-5">
      <Card className="xl:col-span-3">
        <CardHeader
          title="Versions"
          description="Every change is an immutable version; the active one serves predictions without a pinned version."
          action={
            canManage && (
              <button type="button" className={btn} disabled={!rollbackTo} onClick={() => setPending({ kind: "rollback" })} title={rollbackTo ? `Activate v${rollbackTo.number}, the version active before v${program.active?.number ?? "?"}` : "No earlier active version to return to"}>
                <Undo2 aria-hidden className="size-4" /> Roll back
              </button>
            )
          }
        />
        {error && <p className="p-4 text-sm text-bad">Could not load versions: {error.message}</p>}
        {isPending && <p className="p-4 text-sm text-muted">Loading versions…</p>}
        {data && (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[600px] text-sm" data-testid="versions-table">
              <thead className="border-b border-border text-left text-xs uppercase tracking-wide text-muted">
                <tr>
                  <th className="px-4 py-2 font-medium">Version</th>
                  <th className="px-4 py-2 font-medium">Author</th>
                  <th className="px-4 py-2 font-medium">Message</th>
                  <th className="px-4 py-2 font-medium">Created</th>
                  <th className="px-4 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((v) => (
                  <tr
                    key={v.id}
                    data-testid={`version-row-${v.number}`}
                    aria-selected={v.id === chosen}
                    className={`cursor-pointer border-b border-border last:border-0 hover:bg-subtle ${v.id === chosen ? "bg-subtle" : ""}`}
                    onClick={() => setSelected(v.id)}
                  >
                    <td className="px-4 py-2">
                      <button type="button" className="font-medium tabular-nums hover:underline" onClick={() => setSelected(v.id)} aria-label={`Show changes of v${v.number}`}>
                        v{v.number}
                      </button>
                      {v.active && <span className={`${badge} ml-2 bg-accent text-accent-fg`}>active</span>}
                    </td>
                    <td className="px-4 py-2">
                      <Author v={v} />
                    </td>
                    <td className="max-w-[16rem] truncate px-4 py-2" title={v.message}>
                      {v.message || <span className="text-muted">—</span>}
                    </td>
                    <td className="whitespace-nowrap px-4 py-2 text-muted" title={v.createdAt}>
                      {timeAgo(v.createdAt)}
                    </td>
                    <td className="px-4 py-2 text-right">
                      {!v.active && canManage && (
                        <button
                          type="button"
                          className={btn}
                          onClick={(e) => {
                            e.stopPropagation();
                            setPending({ kind: "promote", version: v });
                          }}
                        >
                          <Rocket aria-hidden className="size-4" /> Promote
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && pages > 1 && (
          <nav aria-label="Version pages" className="flex items-center justify-end gap-2 border-t border-border px-4 py-2 text-sm">
            <button type="button" className={btn} disabled={page <= 1} onClick={() => setPage(page - 1)}>
              <ChevronLeft aria-hidden className="size-4" /> Newer
            </button>
            <span className="tabular-nums text-muted">
              {page} / {pages}
            </span>
            <button type="button" className={btn} disabled={page >= pages} onClick={() => setPage(page + 1)}>
              Older <ChevronRight aria-hidden className="size-4" />
            </button>
          </nav>
        )}
      </Card>
      <Card className="xl:col-span-2">
        <CardHeader title={diff.data ? `Changes in v${diff.data.to.number}` : "Changes"} description="Against the version it was derived from" />
        <CardBody>
          {diff.isPending && chosen && <p className="text-sm text-muted">Loading…</p>}
          {diff.error && <p className="text-sm text-bad">{diff.error.message}</p>}
          {diff.data && <DiffView diff={diff.data} />}
        </CardBody>
      </Card>
      <ConfirmDialog
        open={pending !== null}
        onOpenChange={(open) => !open && setPending(null)}
        title={pending?.kind === "promote" ? `Promote v${pending.version.number}?` : "Roll back?"}
        confirmLabel={pending?.kind === "promote" ? "Promote" : "Roll back"}
        busy={activation.isPending}
        onConfirm={() => pending && activation.mutate(pending)}
      >
        {pending?.kind === "promote"
          ? `Predictions of "${name}" without a pinned version will use v${pending.version.number} instead of v${program.active?.number ?? "?"}.`
          : `v${program.active?.number ?? "?"} is replaced by v${rollbackTo?.number ?? "?"}, the version that was active before it.`}
      </ConfirmDialog>
    </div>
  );
}
