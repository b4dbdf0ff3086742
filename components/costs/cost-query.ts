import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import { CostSummarySchema } from "@/lib/schemas";

/** The filters GET /api/v1/costs and /api/v1/costs/export.csv accept besides the range. */
export const FILTER_KEYS = ["programName", "apiKeyId", "model"] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type CostFilters = Partial<Record<FilterKey, string>>;

/** The query string shared by the summary and the CSV links: days plus the filters that are set. */
export function costsQueryString(days: number, filters: CostFilters): string {
  const qs = new URLSearchParams({ days: String(days) });
  for (const k of FILTER_KEYS) if (filters[k]) qs.set(k, filters[k]);
  return qs.toString();
}

/** The cost summary for a range and filters (the unfiltered one also feeds the model filter's options). */
export function costSummaryQuery(days: number, filters: CostFilters) {
  const qs = costsQueryString(days, filters);
  return queryOptions({
    queryKey: ["costs", "summary", qs],
    queryFn: ({ signal }) => api(`/api/v1/costs?${qs}`, CostSummarySchema, { signal }),
    placeholderData: keepPreviousData,
  });
}
