"use client";

import { Button } from "./controls";

/** Previous / next over a server-paged list (1-based pages). */
export function Pager({ page, limit, total, onPage }: { page: number; limit: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  if (total <= limit && page === 1) return <p className="border-t border-border px-3 py-2 text-xs text-muted">{total} in all</p>;
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2 border-t border-border px-3 py-2 text-xs text-muted">
      <span>
        Page {page} of {pages} · {total} in all
      </span>
      <span className="flex gap-2">
        <Button onClick={() => onPage(page - 1)} disabled={page <= 1}>
          Previous
        </Button>
        <Button onClick={() => onPage(page + 1)} disabled={page >= pages}>
          Next
        </Button>
      </span>
    </nav>
  );
}
