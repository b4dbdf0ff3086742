"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import type { RunSearchQuery, SavedViewQuery } from "@/lib/schemas";

/** The search's fields, as kept in the URL (the API's query parameter names; tags comma-separated). */
export const SEARCH_KEYS = ["q", "programName", "status", "source", "tags", "userId", "sessionId", "from", "to"] as const satisfies readonly (keyof RunSearchQuery)[];
export type SearchKey = (typeof SEARCH_KEYS)[number];
export type SearchFields = Partial<Record<SearchKey, string>>;

/** The query of GET /api/v1/runs/search, as read from the URL. */
export type SearchQuery = SearchFields & { readonly page: number; readonly limit: number };

function read(params: URLSearchParams): { fields: SearchFields; page: number; query: SearchQuery } {
  const fields: SearchFields = {};
  for (const k of SEARCH_KEYS) {
    const v = params.get(k);
    if (v) fields[k] = v;
  }
  const page = Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1);
  return { fields, page, query: { ...fields, page, limit: 50 } };
}

/** A saved view's filters as URL fields, and back. */
export function viewToFields(view: SavedViewQuery): SearchFields {
  const { tags, ...rest } = view;
  return { ...rest, ...(tags?.length && { tags: tags.join(",") }) };
}
export function fieldsToView(fields: SearchFields): SavedViewQuery {
  const { tags, status, source, ...rest } = fields;
  const list = tags?.split(",").map((t) => t.trim()).filter(Boolean);
  return {
    ...rest,
    ...(status && { status: status as SavedViewQuery["status"] }),
    ...(source && { source: source as SavedViewQuery["source"] }),
    ...(list?.length && { tags: list }),
  };
}

/** The search from the URL, and setters that replace the URL. */
export function useSearchState() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const state = useMemo(() => read(new URLSearchParams(params.toString())), [params]);
  const go = useCallback((next: URLSearchParams) => router.replace(next.size ? `${pathname}?${next}` : pathname, { scroll: false }), [router, pathname]);
  const setFields = useCallback(
    (fields: SearchFields) => go(new URLSearchParams(Object.entries(fields).filter(([, v]) => Boolean(v)) as [string, string][])),
    [go],
  );
  const setPage = useCallback(
    (page: number) => {
      const next = new URLSearchParams(params.toString());
      if (page > 1) next.set("page", String(page));
      else next.delete("page");
      go(next);
    },
    [params, go],
  );
  return { ...state, setFields, setPage };
}
