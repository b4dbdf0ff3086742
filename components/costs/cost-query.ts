import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { callApi, routes } from "@/lib/api/client";
import type { CostsQuery } from "@/lib/schemas";

/** The filters GET /api/v1/costs and /api/v1/costs/export.csv accept besides the range. */
export const FILTER_KEYS = ["programName", "apiKeyId", "model"] as const satisfies readonly (keyof CostsQuery)[];
export type FilterKey = (typeof FILTER_KEYS)[number];
export type CostFilters = Partial<Record<FilterKey, string>>;

/** The query shared by the summary and the CSV links: days plus the filters that are set. */
export function costsQuery(days: number, filters: CostFilters): CostsQuery {
  const query: CostsQuery = { days };
  for (const k of FILTER_KEYS) if (filters[k]) query[k] = filters[k];
  return query;
}

/** The cost summary for a range and filters (the unfiltered one also feeds the model filter's options). */
export function costSummaryQuery(days: number, filters: CostFilters) {
  const query = costsQuery(days, filters);
  return queryOptions({
    queryKey: ["costs", "summary", query],
    queryFn: ({ signal }) => callApi(routes.getCosts, { query, signal }),
    placeholderData: keepPreviousData,
  });
}
