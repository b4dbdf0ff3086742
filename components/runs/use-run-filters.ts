"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { RunListQuery } from "@/lib/schemas";

/** The run list's filters, as kept in the URL (the API's query parameter names). */
export const FILTER_KEYS = ["programName", "versionId", "status", "source", "apiKeyId", "from", "to"] as const satisfies readonly (keyof RunListQuery)[];
export type FilterKey = (typeof FILTER_KEYS)[number];
export type RunFilters = Partial<Record<FilterKey, string>>;

export interface RunListState {
  readonly filters: RunFilters;
  readonly page: number;
  readonly limit: number;
  /** The query of GET /api/v1/runs, as read from the URL. */
  readonly query: RunFilters & { readonly page: number; readonly limit: number };
}

const PAGE_SIZES = [25, 50, 100] as const;

function readState(params: URLSearchParams): RunListState {
  const filters: RunFilters = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v) filters[k] = v;
  }
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  const rawLimit = Number.parseInt(params.get("limit") ?? "50", 10);
  const limit = rawLimit >= 1 && rawLimit <= 100 ? rawLimit : 50;
  return { filters, page, limit, query: { ...filters, page, limit } };
}

/** Filters and page from the URL, and setters that replace the URL (no history entry per keystroke). */
export function useRunFilters() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => readState(new URLSearchParams(params.toString())), [params]);

  const replace = useCallback(
    (next: URLSearchParams) => {
      const s = next.toString();
      router.replace(s ? `${pathname}?${s}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  /** Sets filters (empty string removes one) and goes back to the first page. */
  const setFilters = useCallback(
    (patch: RunFilters) => {
      const next = new URLSearchParams(params.toString());
      for (const [k, v] of Object.entries(patch)) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      // A version belongs to one program: changing the program drops it.
      if ("programName" in patch && !("versionId" in patch)) next.delete("versionId");
      next.delete("page");
      replace(next);
    },
    [params, replace],
  );

  const setPage = useCallback(
    (page: number, limit?: number) => {
      const next = new URLSearchParams(params.toString());
      if (page > 1) next.set("page", String(page));
      else next.delete("page");
      if (limit !== undefined) next.set("limit", String(limit));
      replace(next);
    },
    [params, replace],
  );

  const clear = useCallback(() => replace(new URLSearchParams()), [replace]);

  return { ...state, setFilters, setPage, clear, pageSizes: PAGE_SIZES };
}
