"use client";
// A moment shown in the reader's own time zone, with the zone named (e.g. "14:03:22 GMT+13").
// The server does not know the reader's zone, so it renders an empty <time> (and the browser's
// first render, which hydrates it, does the same); the text appears right after hydration. The
// full date, time and zone are in the title, the exact instant in `dateTime`.
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/** False on the server and while hydrating, true afterwards: for what only the browser knows. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscribe, () => true, () => false);
}

export type TimeStyle = "time" | "datetime";

/** The moment in the runtime's zone with the zone's short name; "time" drops the date on the same day. */
export function formatLocal(iso: string, style: TimeStyle = "datetime", now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const sameDay = now.toDateString() === d.toDateString();
  const opts: Intl.DateTimeFormatOptions =
    style === "time" && sameDay
      ? { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" }
      : { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" };
  return d.toLocaleString(undefined, opts);
}

export function LocalTime({ iso, style = "datetime", className }: { iso: string; style?: TimeStyle; className?: string }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={iso} className={className} title={hydrated ? formatLocal(iso, "datetime") : undefined} data-testid="local-time">
      {hydrated ? formatLocal(iso, style) : ""}
    </time>
  );
}
