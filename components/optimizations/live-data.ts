"use client";
// An optimization's data for the run page, kept live: its status (GET /optimizations/{id}) and
// every trial for the charts (paged from the trials API), then trial:finished and
// optimization:status events from the room "optimizations:<id>". After a reconnect it refetches.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { callApi, routes } from "@/lib/api/client";
import type { ReplyOf } from "@/lib/api/routes";
import { type ServerEventPayload } from "@/lib/schemas";
import { mergeTrials, type TrialPoint } from "./trial-math";

export type OptimizationDetail = ReplyOf<typeof routes.getOptimization>;
type Trial = ReplyOf<typeof routes.listTrials>["items"][number];

const PAGE = 100;
const MAX_PAGES = 50;

export const detailKey = (id: string) => ["optimizations", "detail", id] as const;
export const pointsKey = (id: string) => ["optimizations", "points", id] as const;
export const trialsKey = (id: string) => ["optimizations", "trials", id] as const;

export function toPoint(t: Trial | ServerEventPayload<"trial:finished">): TrialPoint {
  const status = "status" in t ? t.status : t.state;
  const config = t.config && typeof t.config === "object" ? (t.config as Record<string, unknown>) : {};
  return { number: t.number, status, evaluation: t.evaluation, score: t.score, costUsd: t.costUsd, lmCalls: t.lmCalls, latencyMs: t.latencyMs, config };
}

export const fetchDetail = (id: string) => callApi(routes.getOptimization, { params: { id } });

/** Every trial, in number order (pages of 100, at most 5 000 trials). */
export async function fetchAllTrials(id: string): Promise<TrialPoint[]> {
  const out: TrialPoint[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await callApi(routes.listTrials, { params: { id }, query: { sort: "number", order: "asc", limit: PAGE, page } });
    out.push(...res.items.map(toPoint));
    if (page * PAGE >= res.total) break;
  }
  return out;
}

/** Status and trials of one optimization, kept live. */
export function useLiveOptimization(id: string) {
  const qc = useQueryClient();
  const { connectionEpoch } = useRealtime();
  useRoom(`optimizations:${id}`);
  const detail = useQuery({ queryKey: detailKey(id), queryFn: () => fetchDetail(id) });
  const points = useQuery({ queryKey: pointsKey(id), queryFn: () => fetchAllTrials(id) });

  // The table is paged on the server: refetch it at most once a second while trials arrive.
  const tableTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshTable = () => {
    if (tableTimer.current) return;
    tableTimer.current = setTimeout(() => {
      tableTimer.current = null;
      void qc.invalidateQueries({ queryKey: trialsKey(id) });
    }, 1000);
  };
  useEffect(() => () => {
    if (tableTimer.current) clearTimeout(tableTimer.current);
  }, []);

  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void qc.invalidateQueries({ queryKey: ["optimizations"] });
  }, [connectionEpoch, qc]);

  useServerEvent("trial:finished", (e) => {
    if (e.optimizationId !== id) return;
    qc.setQueryData<TrialPoint[]>(pointsKey(id), (prev) => mergeTrials(prev ?? [], [toPoint(e)]));
    refreshTable();
  });
  useServerEvent("optimization:status", (e) => {
    if (e.optimizationId !== id) return;
    qc.setQueryData<OptimizationDetail>(detailKey(id), (prev) =>
      prev && {
        ...prev,
        status: e.status,
        trialCount: e.trials,
        bestScore: e.bestScore,
        baselineScore: e.baselineScore,
        spent: { usd: e.spentUsd, lmCalls: e.lmCalls, seconds: e.elapsedSeconds },
        ...(e.status === "failed" && e.message ? { error: e.message } : {}),
      },
    );
    // The end brings what events do not carry (result version, report, best trial).
    if (e.status !== "running") void qc.invalidateQueries({ queryKey: detailKey(id) });
    refreshTable();
  });
  return { detail, points };
}
