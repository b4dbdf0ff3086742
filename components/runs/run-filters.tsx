"use client";

import { X } from "lucide-react";
import type { ReactNode } from "react";
import type { RunFilters } from "./use-run-filters";

export interface RunFilterOptions {
  readonly programs: readonly { readonly name: string }[];
  /** Versions of the selected program (empty when none is selected). */
  readonly versions: readonly { readonly id: string; readonly number: number }[];
  readonly apiKeys: readonly { readonly id: string; readonly name: string; readonly prefix: string }[];
}

const STATUSES = ["running", "ok", "error"] as const;
const SOURCES = ["api", "playground", "optimization", "evaluation", "agent", "script"] as const;
const PRESETS = [
  { value: "15m", label: "Last 15 minutes", ms: 15 * 60_000 },
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
] as const;

const SELECT = "h-8 w-full rounded-md border border-border bg-card px-2 text-sm focus-visible:outline-2";

/** An ISO time as the value of a datetime-local input (local time, minutes). */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : "");

function Field({ label, htmlFor, children }: { label: string; htmlFor: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={htmlFor} className="text-xs text-muted">
        {label}
      </label>
      {children}
    </div>
  );
}

export function RunFilterBar({
  filters,
  options,
  onChange,
  onClear,
  fieldErrors,
}: {
  filters: RunFilters;
  options: RunFilterOptions;
  onChange: (patch: RunFilters) => void;
  onClear: () => void;
  /** Messages the API gave for bad parameters, by parameter name. */
  fieldErrors: Readonly<Record<string, string>>;
}) {
  const hasTime = Boolean(filters.from || filters.to);
  const active = Object.values(filters).some(Boolean);
  return (
    <form role="search" aria-label="Filter runs" className="mb-4 grid grid-cols-2 gap-3 md:grid-cols-4 xl:grid-cols-7" onSubmit={(e) => e.preventDefault()}>
      <Field label="Program" htmlFor="f-program">
        <select id="f-program" className={SELECT} value={filters.programName ?? ""} onChange={(e) => onChange({ programName: e.target.value })}>
          <option value="">All programs</option>
          {options.programs.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Version" htmlFor="f-version">
        <select
          id="f-version"
          className={SELECT}
          value={filters.versionId ?? ""}
          disabled={!filters.programName && !filters.versionId}
          title={filters.programName ? undefined : "Choose a program first"}
          onChange={(e) => onChange({ versionId: e.target.value })}
        >
          <option value="">All versions</option>
          {options.versions.map((v) => (
            <option key={v.id} value={v.id}>
              v{v.number}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Status" htmlFor="f-status">
        <select id="f-status" className={SELECT} value={filters.status ?? ""} onChange={(e) => onChange({ status: e.target.value })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Source" htmlFor="f-source">
        <select id="f-source" className={SELECT} value={filters.source ?? ""} onChange={(e) => onChange({ source: e.target.value })}>
          <option value="">Any source</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Field label="API key" htmlFor="f-key">
        <select id="f-key" className={SELECT} value={filters.apiKeyId ?? ""} onChange={(e) => onChange({ apiKeyId: e.target.value })}>
          <option value="">All keys</option>
          {options.apiKeys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.name} ({k.prefix})
            </option>
          ))}
        </select>
      </Field>
      <Field label="Started" htmlFor="f-range">
        <select
          id="f-range"
          className={SELECT}
          value={hasTime ? "custom" : ""}
          onChange={(e) => {
            const preset = PRESETS.find((p) => p.value === e.target.value);
            if (preset) onChange({ from: new Date(Date.now() - preset.ms).toISOString(), to: "" });
            else if (e.target.value === "") onChange({ from: "", to: "" });
            else onChange({ from: new Date(Date.now() - 3_600_000).toISOString() });
          }}
        >
          <option value="">Any time (live)</option>
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
          <option value="custom">Custom range</option>
        </select>
      </Field>
      <div className="flex items-end">
        <button
          type="button"
          onClick={onClear}
          disabled={!active}
          className="inline-flex h-8 items-center gap-1 rounded-md border border-border px-3 text-sm hover:bg-subtle disabled:opacity-50"
        >
          <X aria-hidden className="size-3.5" /> Clear filters
        </button>
      </div>
      {hasTime && (
        <div className="col-span-2 grid grid-cols-2 gap-3 md:col-span-4 xl:col-span-7 xl:max-w-xl">
          <Field label="From (inclusive)" htmlFor="f-from">
            <input
              id="f-from"
              type="datetime-local"
              className={SELECT}
              value={toLocalInput(filters.from)}
              aria-invalid={Boolean(fieldErrors.from)}
              aria-describedby={fieldErrors.from ? "f-from-error" : undefined}
              onChange={(e) => onChange({ from: fromLocalInput(e.target.value) })}
            />
            {fieldErrors.from && (
              <span id="f-from-error" className="text-xs text-bad">
                {fieldErrors.from}
              </span>
            )}
          </Field>
          <Field label="To (exclusive)" htmlFor="f-to">
            <input
              id="f-to"
              type="datetime-local"
              className={SELECT}
              value={toLocalInput(filters.to)}
              aria-invalid={Boolean(fieldErrors.to)}
              onChange={(e) => onChange({ to: fromLocalInput(e.target.value) })}
            />
            {fieldErrors.to && <span className="text-xs text-bad">{fieldErrors.to}</span>}
          </Field>
        </div>
      )}
    </form>
  );
}
