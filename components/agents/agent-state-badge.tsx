const STYLE: Record<string, string> = {
  idle: "border-border text-muted",
  busy: "border-accent/40 bg-accent/10 text-accent",
  waiting: "border-warn/40 bg-warn/10 text-warn",
  restarting: "border-bad/40 bg-bad/10 text-bad animate-pulse",
  stopped: "border-border bg-subtle text-muted",
};

/** An agent's state machine state: idle, busy, waiting, restarting or stopped. */
export function AgentStateBadge({ state }: { state: string }) {
  return (
    <span data-testid="agent-state" data-state={state} className={`inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium ${STYLE[state] ?? STYLE.idle}`}>
      {state}
    </span>
  );
}
