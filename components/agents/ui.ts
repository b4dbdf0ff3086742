// Class names shared by the agents area's controls (the UI kit has no button yet).
export const btn =
  "inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-subtle focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50";
export const btnPrimary =
  "inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50";

/** The URL of an agent system's page (systemIds may hold ":"). */
export const systemHref = (systemId: string) => `/agents/${encodeURIComponent(systemId)}`;

/** The react-query key of the declared agent systems (refetched after a call changes their counts). */
export const DECLARED_SYSTEMS_KEY = ["agents", "declared"] as const;
