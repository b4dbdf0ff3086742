"use client";

import { Bot, ChevronDown, ChevronRight, Layers } from "lucide-react";
import { useState } from "react";
import { formatMs } from "../format";
import type { TraceRow } from "./types";

const BAR_COLOR = { ok: "bg-accent", error: "bg-bad", running: "bg-warn" } as const;

function rowLabel(r: TraceRow): { name: string; detail: string; status: keyof typeof BAR_COLOR } {
  if (r.kind === "span") return { name: r.span.name, detail: r.span.kind, status: r.span.status };
  return { name: r.call.model, detail: r.call.cacheHit ? "LM call · cache hit" : "LM call", status: r.call.error ? "error" : "ok" };
}

/** The span tree beside a timeline: each bar spans its start and end on the run's time axis. */
export function SpanTimeline({
  rows,
  window,
  now,
  selected,
  onSelect,
}: {
  rows: readonly TraceRow[];
  window: { start: number; end: number };
  now: number;
  selected: string | null;
  onSelect: (key: string) => void;
}) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const total = window.end - window.start;
  const visible = rows.filter((r) => !r.ancestors.some((a) => collapsed.has(a)));
  const toggle = (key: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  return (
    <div role="tree" aria-label="Spans and LM calls" data-testid="span-tree" className="text-sm">
      <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-3 border-b border-border px-2 pb-1 text-xs text-muted">
        <span>Span</span>
        <span className="flex justify-between tabular-nums">
          <span>0</span>
          <span>{formatMs(total / 2)}</span>
          <span>{formatMs(total)}</span>
        </span>
      </div>
      {visible.map((r) => {
        const { name, detail, status } = rowLabel(r);
        const end = r.end ?? now;
        const left = ((r.start - window.start) / total) * 100;
        const width = Math.max(0.5, ((end - r.start) / total) * 100);
        const isOpen = !collapsed.has(r.key);
        const Icon = r.kind === "lm" ? Bot : Layers;
        return (
          <div
            key={r.key}
            role="treeitem"
            aria-level={r.depth + 1}
            aria-selected={selected === r.key}
            aria-expanded={r.hasChildren ? isOpen : undefined}
            data-testid={r.kind === "lm" ? "trace-lm-row" : "trace-span-row"}
            className={`grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] items-center gap-3 rounded px-2 py-1 ${selected === r.key ? "bg-accent/10" : "hover:bg-subtle"}`}
          >
            <div className="flex min-w-0 items-center gap-1" style={{ paddingLeft: `${r.depth * 14}px` }}>
              {r.hasChildren ? (
                <button type="button" onClick={() => toggle(r.key)} aria-label={isOpen ? `Collapse ${name}` : `Expand ${name}`} className="rounded p-0.5 text-muted hover:bg-subtle">
                  {isOpen ? <ChevronDown aria-hidden className="size-3.5" /> : <ChevronRight aria-hidden className="size-3.5" />}
                </button>
              ) : (
                <span className="w-[18px] shrink-0" />
              )}
              <button type="button" onClick={() => onSelect(r.key)} className="flex min-w-0 flex-1 items-center gap-1.5 rounded text-left">
                <Icon aria-hidden className={`size-3.5 shrink-0 ${r.kind === "lm" ? "text-accent" : "text-muted"}`} />
                <span className="truncate font-medium">{name}</span>
                <span className="hidden shrink-0 text-xs text-muted sm:inline">{detail}</span>
              </button>
            </div>
            <button type="button" tabIndex={-1} onClick={() => onSelect(r.key)} className="relative h-5 w-full" aria-hidden>
              <span
                className={`absolute top-1 h-3 rounded-sm ${BAR_COLOR[status]} ${r.end === null ? "animate-pulse" : ""} ${r.kind === "lm" ? "opacity-70" : ""}`}
                style={{ left: `${Math.min(99.5, left)}%`, width: `${Math.min(100 - left, width)}%` }}
              />
              <span className="absolute right-0 top-0 text-[10px] leading-5 text-muted tabular-nums">{formatMs(end - r.start)}</span>
            </button>
          </div>
        );
      })}
      {visible.length === 0 && <p className="px-2 py-4 text-sm text-muted">No spans recorded for this run yet.</p>}
    </div>
  );
}
