"use client";

import { useRealtime, type ConnectionState } from "@/components/realtime";

const LOOK: Record<ConnectionState, { label: string; dot: string; title: string }> = {
  connecting: { label: "Connecting", dot: "bg-warn animate-pulse", title: "Opening the live connection to the server" },
  connected: { label: "Live", dot: "bg-ok", title: "Connected: the page updates as things happen" },
  reconnecting: { label: "Reconnecting", dot: "bg-warn animate-pulse", title: "Connection lost; retrying. The page catches up when it is back." },
  offline: { label: "Offline", dot: "bg-bad", title: "The server cannot be reached; still retrying in the background" },
};

export function LiveIndicator() {
  const { state } = useRealtime();
  const look = LOOK[state];
  return (
    <span
      data-testid="live-indicator"
      data-state={state}
      role="status"
      aria-live="polite"
      title={look.title}
      className="inline-flex items-center gap-2 rounded-full border border-border px-2.5 py-1 text-xs text-muted"
    >
      <span aria-hidden className={`size-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
