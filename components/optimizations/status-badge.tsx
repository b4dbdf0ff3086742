import type { OptimizationStatusName } from "@/lib/schemas";

const STYLE: Record<OptimizationStatusName, string> = {
  queued: "bg-subtle text-muted",
  running: "bg-accent/15 text-accent",
  stopping: "bg-warn/15 text-warn",
  stopped: "bg-warn/15 text-warn",
  completed: "bg-ok/15 text-ok",
  failed: "bg-bad/15 text-bad",
};

export function StatusBadge({ status }: { status: OptimizationStatusName }) {
  return (
    <span data-testid="status-badge" data-status={status} className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${STYLE[status]}`}>
      {status === "running" && <span aria-hidden className="size-1.5 animate-pulse rounded-full bg-current" />}
      {status}
    </span>
  );
}
