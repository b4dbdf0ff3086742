"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";

/** How often at most the numbers are refetched while LM calls stream in. */
const THROTTLE_MS = 2_000;

/**
 * Keeps the cost queries fresh: joins room "costs"; each lmcall:recorded or budget:status event
 * schedules one refetch (at most one per THROTTLE_MS); a reconnect refetches at once.
 */
export function useLiveCosts(): void {
  const queryClient = useQueryClient();
  const { connectionEpoch } = useRealtime();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  useRoom("costs");

  const refresh = () => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + THROTTLE_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      void queryClient.invalidateQueries({ queryKey: ["costs"] });
    }, wait);
  };
  useServerEvent("lmcall:recorded", refresh);
  useServerEvent("budget:status", refresh);

  useEffect(() => {
    if (connectionEpoch > 1) void queryClient.invalidateQueries({ queryKey: ["costs"] });
  }, [connectionEpoch, queryClient]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
}
