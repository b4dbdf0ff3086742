"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { btn } from "./styles";

/** Previous/next for a server-paged list: "page p of n (total)". */
export function Pager({ page, limit, total, onPage, label = "items" }: { page: number; limit: number; total: number; onPage: (page: number) => void; label?: string }) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <div className="flex items-center justify-between gap-2 px-3 py-2 text-xs text-muted">
      <span>
        Page {page} of {pages} · {total} {label}
      </span>
      <div className="flex gap-1">
        <button type="button" className={btn} onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
          <ChevronLeft className="size-4" aria-hidden />
        </button>
        <button type="button" className={btn} onClick={() => onPage(page + 1)} disabled={page >= pages} aria-label="Next page">
          <ChevronRight className="size-4" aria-hidden />
        </button>
      </div>
    </div>
  );
}
