"use client";

import { useCallback, useEffect, useRef } from "react";

/**
 * Returns `schedule()`: the first call runs `flush` on the next tick, later calls within
 * `intervalMs` coalesce into one trailing run. Live pages use it so a burst of events costs a few
 * renders (or refetches) per second at most.
 */
export function useThrottled(flush: () => void, intervalMs: number): () => void {
  const latest = useRef(flush);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  useEffect(() => {
    latest.current = flush;
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + intervalMs - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      latest.current();
    }, wait);
  }, [intervalMs]);
}

/**
 * For pages that read the server again when events arrive: `refetch` at most once per
 * `intervalMs`, and once more `settleMs` after the last event, because the socket can be ahead of
 * the database (events are written in batches) and the first read may miss the newest rows.
 */
export function useEventRefetch(refetch: () => void, intervalMs: number, settleMs = 1500): () => void {
  const latest = useRef(refetch);
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    latest.current = refetch;
  });
  useEffect(
    () => () => {
      if (settle.current) clearTimeout(settle.current);
    },
    [],
  );
  const throttled = useThrottled(() => latest.current(), intervalMs);
  return useCallback(() => {
    throttled();
    if (settle.current) clearTimeout(settle.current);
    settle.current = setTimeout(() => latest.current(), settleMs);
  }, [throttled, settleMs]);
}
