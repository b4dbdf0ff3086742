"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { z } from "zod";
import { useServerEvent } from "@/components/realtime";
import type { RunPageSchema, RuntimeEventPayload } from "@/lib/schemas";
import type { RunFilters } from "./use-run-filters";
import { useThrottled } from "./use-throttled";

type RunPage = z.infer<typeof RunPageSchema>;
export type RunRow = RunPage["items"][number];
type Started = RuntimeEventPayload<"run:started">;
type Finished = RuntimeEventPayload<"run:finished">;

/** Events are applied at most this often; the server is asked again once they settle. */
const FLUSH_MS = 500;
const SETTLE_MS = 1500;
const KEEP = 200;

function startedRow(e: Started): RunRow {
  return {
    id: e.runId,
    traceId: e.traceId,
    program: e.programId && e.programName ? { id: e.programId, name: e.programName } : null,
    // The number is not in the event; 0 means "not known yet" until the server's row arrives.
    version: e.versionId ? { id: e.versionId, number: 0 } : null,
    apiKey: null,
    optimizationId: e.optimizationId,
    source: e.source,
    status: "running",
    error: null,
    startedAt: e.startedAt,
    endedAt: null,
    latencyMs: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    // Known once the server's row arrives (the events do not carry it).
    priceUnknown: false,
  };
}

function finish(r: RunRow, f: Finished): RunRow {
  return { ...r, status: f.status, error: f.error, latencyMs: f.latencyMs, costUsd: f.costUsd, endedAt: f.endedAt, inputTokens: f.usage.inputTokens, outputTokens: f.usage.outputTokens };
}

function matches(e: Started, f: RunFilters): boolean {
  if (f.programName && e.programName !== f.programName) return false;
  if (f.status && f.status !== "running") return false;
  if (f.source && f.source !== e.source) return false;
  if (f.apiKeyId && f.apiKeyId !== e.apiKeyId) return false;
  return !(f.versionId && f.versionId !== e.versionId);
}

/**
 * Runs as the events tell them, merged over the server's page. The socket can be ahead of the
 * database (events are written in batches), so a refetch may not have a run yet, or still show it
 * running: the events fill in until the server's rows catch up.
 */
export function useLiveRuns(queryKey: QueryKey, filters: RunFilters, live: boolean) {
  const queryClient = useQueryClient();
  const [started, setStarted] = useState<ReadonlyMap<string, RunRow>>(new Map());
  const [finished, setFinished] = useState<ReadonlyMap<string, Finished>>(new Map());
  const pending = useRef({ started: [] as Started[], finished: [] as Finished[] });
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const refetch = useCallback(() => void queryClient.invalidateQueries({ queryKey, exact: true }), [queryClient, queryKey]);
  const flush = useThrottled(() => {
    const p = pending.current;
    pending.current = { started: [], finished: [] };
    if (p.started.length) setStarted((prev) => new Map([...prev, ...p.started.map((e) => [e.runId, startedRow(e)] as const)].slice(-KEEP)));
    if (p.finished.length) setFinished((prev) => new Map([...prev, ...p.finished.map((e) => [e.runId, e] as const)].slice(-KEEP)));
    if (!live) return;
    refetch();
    if (settle.current) clearTimeout(settle.current);
    settle.current = setTimeout(refetch, SETTLE_MS);
  }, FLUSH_MS);
  useEffect(() => () => void (settle.current && clearTimeout(settle.current)), []);
  // A new filter or page starts from what the server has.
  const filterKey = JSON.stringify([filters, live]);
  const [shownFor, setShownFor] = useState(filterKey);
  if (shownFor !== filterKey) {
    setShownFor(filterKey);
    setStarted(new Map());
  }

  useServerEvent("run:started", (e) => {
    if (!live || !matches(e, filters)) return;
    pending.current.started.push(e);
    flush();
  });
  useServerEvent("run:finished", (e) => {
    pending.current.finished.push(e);
    flush();
  });

  /** The page to show: the server's rows with known finishes applied, and newer live runs on top. */
  return useCallback(
    (page: RunPage | undefined): { items: RunRow[]; total: number } | undefined => {
      if (!page) return undefined;
      const known = new Set(page.items.map((r) => r.id));
      const patch = (r: RunRow) => {
        const f = r.status === "running" ? finished.get(r.id) : undefined;
        return f ? finish(r, f) : r;
      };
      const newest = page.items[0]?.startedAt ?? "";
      const extra = live
        ? [...started.values()].filter((r) => !known.has(r.id) && r.startedAt >= newest)
        : [];
      const items = [...extra.reverse(), ...page.items].map(patch).filter((r) => !filters.status || r.status === filters.status || known.has(r.id));
      return { items: items.slice(0, page.limit), total: page.total + extra.length };
    },
    [started, finished, live, filters.status],
  );
}
