"use client";
// Refetches a query when runs finish (at most once a second), and after a reconnect: the list's
// run statistics stay current without polling.
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";

export function useLiveRefresh(room: string | undefined, queryKey: QueryKey): void {
  const client = useQueryClient();
  const { connectionEpoch } = useRealtime();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = useRef(queryKey);
  useEffect(() => {
    key.current = queryKey;
  });
  useRoom(room);
  useServerEvent("run:finished", () => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void client.invalidateQueries({ queryKey: key.current });
    }, 1000);
  });
  useEffect(() => {
    if (connectionEpoch > 0) void client.invalidateQueries({ queryKey: key.current });
  }, [connectionEpoch, client]);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
}
