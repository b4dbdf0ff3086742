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
