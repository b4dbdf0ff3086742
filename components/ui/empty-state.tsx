import type { LucideIcon } from "lucide-react";
import type { ReactNode } from "react";

/** What a page shows before it has data: what will appear here and what to do next. */
export function EmptyState({ icon: Icon, title, children }: { icon: LucideIcon; title: string; children: ReactNode }) {
  return (
    <div data-testid="empty-state" className="flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed border-border px-6 py-14 text-center">
      <Icon aria-hidden className="size-8 text-muted" />
      <h2 className="text-base font-medium">{title}</h2>
      <div className="max-w-prose text-sm text-muted">{children}</div>
    </div>
  );
}
