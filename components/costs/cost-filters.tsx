"use client";

import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useId } from "react";
import { callApi, routes } from "@/lib/api/client";
import { btn, input, label } from "../datasets/styles";
import { costSummaryQuery, FILTER_KEYS, type CostFilters, type FilterKey } from "./cost-query";

type Option = { value: string; label: string };

/** Program, API key and model selects; options from the budget targets and the range's unfiltered spend. */
export function CostFilterBar({ days, filters, onChange, onClear }: { days: number; filters: CostFilters; onChange: (key: FilterKey, value: string | undefined) => void; onClear: () => void }) {
  const ids = useId();
  const targets = useQuery({ queryKey: ["costs", "budget-targets"], queryFn: ({ signal }) => callApi(routes.listBudgetTargets, { signal }) });
  const unfiltered = useQuery(costSummaryQuery(days, {}));
  const options: Record<FilterKey, Option[]> = {
    programName: targets.data?.programs.map((p) => ({ value: p.name, label: p.name })) ?? [],
    apiKeyId: targets.data?.apiKeys.map((k) => ({ value: k.id, label: `${k.name} (${k.prefix})` })) ?? [],
    model: unfiltered.data?.byModel.flatMap((m) => (m.key === null ? [] : [{ value: m.key, label: m.label }])) ?? [],
  };
  const labels: Record<FilterKey, [string, string]> = { programName: ["Program", "All programs"], apiKeyId: ["API key", "All API keys"], model: ["Model", "All models"] };
  const active = FILTER_KEYS.some((k) => filters[k]);

  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters" data-testid="cost-filters">
      {FILTER_KEYS.map((k) => {
        const current = filters[k];
        // A value from the URL that is not (or no longer) among the options stays selectable.
        const list = current && !options[k].some((o) => o.value === current) ? [{ value: current, label: current }, ...options[k]] : options[k];
        return (
          <div key={k} className="w-full sm:w-48">
            <label className={label} htmlFor={`${ids}-${k}`}>{labels[k][0]}</label>
            <select id={`${ids}-${k}`} className={`${input} mt-1`} value={current ?? ""} onChange={(e) => onChange(k, e.target.value || undefined)}>
              <option value="">{labels[k][1]}</option>
              {list.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </div>
        );
      })}
      {active && (
        <button type="button" className={btn} onClick={onClear}>
          <X className="size-3.5" aria-hidden /> Clear filters
        </button>
      )}
    </div>
  );
}
