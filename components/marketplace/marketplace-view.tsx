"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Package } from "lucide-react";
import Link from "next/link";
import { toast } from "sonner";
import { useSessionUser } from "@/components/shell/user-menu";
import { btn, btnPrimary, Card, CardBody, CardHeader, EmptyState, LocalTime } from "@/components/ui";
import { ApiError, callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import type { Marketplace, MarketplaceAction, SkillOriginView } from "@/lib/schemas";

const KEY = ["marketplace"] as const;

const usd = (n: number) => (n === 0 ? "$0" : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(4)}`);

function Origin({ origin }: { origin: SkillOriginView }) {
  return origin.kind === "folder" ? (
    <span title="your own code: runs in the server's process">
      folder <code>{origin.file}</code>
    </span>
  ) : (
    <span title="a skill package: runs in a process of its own with only its declared permissions">
      npm <code>{origin.name}</code>@{origin.version}
    </span>
  );
}

function Permissions({ origin }: { origin: SkillOriginView }) {
  if (origin.kind === "folder") return <span className="text-muted">the server&apos;s (your own code)</span>;
  const p = origin.permissions;
  return (
    <span>
      network: {p.network.length ? p.network.join(", ") : "none"} · {p.timeoutMs} ms · up to {usd(p.maxCostUsd)} per call · {p.memoryMb} MiB · no file system
    </span>
  );
}

function Schema({ label, schema }: { label: string; schema: MarketplaceAction["input"] }) {
  return (
    <div className="min-w-0 flex-1">
      <p className="text-xs font-medium text-muted">{label}</p>
      {schema ? <pre className="mt-1 max-h-56 overflow-auto rounded-md bg-subtle p-2 text-xs">{JSON.stringify(schema, null, 2)}</pre> : <p className="mt-1 text-xs text-muted">not declared</p>}
    </div>
  );
}

function ActionRow({ action, admin }: { action: MarketplaceAction; admin: boolean }) {
  const queryClient = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => callApi(routes.setActionEnabled, { params: { name: action.name }, body: { enabled } }),
    onSuccess: (updated) => {
      queryClient.setQueryData<Marketplace>(KEY, (m) => m && { ...m, actions: m.actions.map((a) => (a.name === updated.name ? updated : a)) });
      toast.success(`${updated.name} ${updated.enabled ? "enabled" : "disabled"}`);
    },
    onError: (err) => toast.error(`${action.name}: not changed`, { description: err instanceof ApiError ? err.message : String(err) }),
  });
  const u = action.usage;
  return (
    <li data-testid="marketplace-action" data-action={action.name} data-enabled={String(action.enabled)} className="space-y-2 border-b border-border px-4 py-3 last:border-0">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium">
            {action.name}{" "}
            <span data-testid="action-status" className={`text-xs font-normal ${action.enabled ? "text-ok" : "text-bad"}`}>
              {action.enabled ? "enabled" : "disabled"}
            </span>
            {action.decision === null && <span className="text-xs font-normal text-muted"> (default for {action.origin.kind === "folder" ? "your own actions" : "packages"})</span>}
          </p>
          {action.description && <p className="text-sm text-muted">{action.description}</p>}
          <p className="mt-0.5 text-xs text-muted">
            <Origin origin={action.origin} />
            {action.skill && <> · skill {action.skill}</>} · permissions: <Permissions origin={action.origin} />
          </p>
          <p className="mt-0.5 text-xs text-muted" data-testid="action-used-by">
            used by{" "}
            {action.usedBy.length === 0
              ? "no declared agent system"
              : action.usedBy.map((s, i) => (
                  <span key={s}>
                    {i > 0 && ", "}
                    <Link href="/agents" className="underline">
                      {s}
                    </Link>
                  </span>
                ))}
          </p>
          <p className="mt-0.5 text-xs text-muted" data-testid="action-usage">
            last 30 days: {u.calls} calls · {u.errors} errors · {usd(u.costUsd)}
            {u.meanMs !== null && <> · {u.meanMs.toFixed(1)} ms mean</>}
            {u.lastAt && (
              <>
                {" "}
                · last <LocalTime iso={u.lastAt} />
              </>
            )}
          </p>
          {u.lastError && <p className="mt-0.5 text-xs text-bad">last error: {u.lastError}</p>}
        </div>
        {admin && (
          <button type="button" className={action.enabled ? btn : btnPrimary} disabled={toggle.isPending} onClick={() => toggle.mutate(!action.enabled)}>
            {action.enabled ? "Disable" : "Enable"}
          </button>
        )}
      </div>
      <details>
        <summary className="cursor-pointer text-xs text-muted">Input and output schemas</summary>
        <div className="mt-2 flex flex-col gap-3 sm:flex-row">
          <Schema label="Input" schema={action.input} />
          <Schema label="Output" schema={action.output} />
        </div>
      </details>
    </li>
  );
}

/** Every installed skill and action; administrators enable and disable actions. */
export function MarketplaceView({ initial }: { initial: Marketplace }) {
  const { user } = useSessionUser();
  const admin = user?.role === "admin";
  const { data = initial } = useQuery({ queryKey: KEY, queryFn: ({ signal }) => callApi(routes.getMarketplace, { signal }), initialData: initial });
  return (
    <div className="space-y-4">
      <Card data-testid="marketplace-actions">
        <CardHeader
          title="Actions"
          description={admin ? "Actions of the programs folder are enabled until you disable them; actions of skill packages stay disabled until you enable them." : "Only administrators can enable or disable actions."}
        />
        {data.actions.length === 0 ? (
          <CardBody>
            <EmptyState icon={Package} title="No actions installed">
              Export <code>actions</code> or <code>skills</code> from a file of the programs folder, or install a skill package (see docs/agents/skills.md).
            </EmptyState>
          </CardBody>
        ) : (
          <ul>
            {data.actions.map((a) => (
              <ActionRow key={a.name} action={a} admin={admin} />
            ))}
          </ul>
        )}
      </Card>
      <Card data-testid="marketplace-skills">
        <CardHeader title="Skills" description="Named groups of actions and message handlers" />
        {data.skills.length === 0 ? (
          <CardBody>
            <p className="text-sm text-muted">No skills installed.</p>
          </CardBody>
        ) : (
          <ul>
              {data.skills.map((s) => (
                <li key={s.name} data-testid="marketplace-skill" className="border-b border-border px-4 py-3 text-sm last:border-0">
                  <p className="font-medium">{s.name}</p>
                  {s.description && <p className="text-muted">{s.description}</p>}
                  <p className="mt-0.5 text-xs text-muted">
                    <Origin origin={s.origin} /> · actions: {s.actions.join(", ") || "none"} · handles: {s.handles.join(", ") || "nothing"} · used by {s.usedBy.join(", ") || "no declared agent system"}
                  </p>
                </li>
              ))}
          </ul>
        )}
      </Card>
      <Card data-testid="marketplace-packages">
        <CardHeader title="Skill packages" description={'npm packages that declare "dspex": { "skills": ... }; each runs in a process of its own'} />
        <CardBody>
          {data.packages.length === 0 ? (
            <p className="text-sm text-muted">No skill packages installed.</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {data.packages.map((p) => (
                <li key={p.name}>
                  <code>{p.name}</code>@{p.version}: {p.actions.join(", ") || "no actions"}
                  <p className="text-xs text-muted">
                    network: {p.permissions.network.join(", ") || "none"} · {p.permissions.timeoutMs} ms · up to {usd(p.permissions.maxCostUsd)} per call · {p.permissions.memoryMb} MiB
                  </p>
                </li>
              ))}
            </ul>
          )}
          {data.loadErrors.length > 0 && (
            <div className="mt-3">
              <p className="text-xs font-medium text-bad">Could not be loaded</p>
              <ul className="mt-1 space-y-0.5 text-xs text-muted">
                {data.loadErrors.map((e) => (
                  <li key={`${e.source}:${e.message}`}>
                    <code>{e.source}</code>: {e.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
