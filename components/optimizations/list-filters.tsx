"use client";

import { useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { callApi, routes } from "@/lib/api/client";
import { OPTIMIZATION_STATUSES } from "@/lib/schemas";

const selectClass = "rounded-md border border-border bg-card px-2 py-1.5 text-sm";

/** Program and status filters of the optimizations list; the choice lives in the URL (the list owns it). */
export function ListFilters(props: {
  programName: string | null;
  status: string | null;
  onChange: (f: { programName?: string | null; status?: string | null }) => void;
  onClear: () => void;
}) {
  const setup = useQuery({ queryKey: ["optimizations", "setup"], queryFn: () => callApi(routes.optimizationSetup) });
  const names = (setup.data?.programs ?? []).map((p) => p.name);
  // A program from a shared link that is no longer served still shows as chosen.
  if (props.programName && !names.includes(props.programName)) names.push(props.programName);
  return (
    <div className="flex flex-wrap items-end gap-3" role="group" aria-label="Filters">
      <label className="flex flex-col gap-1 text-xs text-muted">
        Filter by program
        <select className={selectClass} value={props.programName ?? ""} onChange={(e) => props.onChange({ programName: e.target.value || null })}>
          <option value="">All programs</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-xs text-muted">
        Filter by status
        <select className={selectClass} value={props.status ?? ""} onChange={(e) => props.onChange({ status: e.target.value || null })}>
          <option value="">All statuses</option>
          {OPTIMIZATION_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      {(props.programName || props.status) && (
        <button type="button" onClick={props.onClear} className="inline-flex items-center gap-1 rounded-md border border-border px-2 py-1.5 text-sm hover:bg-subtle">
          <X className="size-4" /> Clear filters
        </button>
      )}
    </div>
  );
}
