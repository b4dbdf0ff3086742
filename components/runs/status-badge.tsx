import { CircleAlert, CircleCheck, LoaderCircle } from "lucide-react";

const STYLES = {
  ok: { icon: CircleCheck, className: "text-ok", label: "ok" },
  error: { icon: CircleAlert, className: "text-bad", label: "error" },
  running: { icon: LoaderCircle, className: "text-warn", label: "running" },
} as const;

export function StatusBadge({ status }: { status: keyof typeof STYLES }) {
  const { icon: Icon, className, label } = STYLES[status];
  return (
    <span className={`inline-flex items-center gap-1 text-xs font-medium ${className}`} data-status={status}>
      <Icon aria-hidden className={`size-3.5 ${status === "running" ? "animate-spin" : ""}`} />
      {label}
    </span>
  );
}
