// Class names shared by the programs area's controls (the UI kit has no button yet).
export const btn =
  "inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md border border-border bg-card px-3 py-1.5 text-sm font-medium hover:bg-subtle focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50";
export const btnPrimary =
  "inline-flex items-center justify-center gap-1.5 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50";
export const input =
  "w-full rounded-md border border-border bg-bg px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent aria-[invalid=true]:border-bad";
export const badge = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium";
/** The input style at a fixed width instead of the full width. */
export const inputWidth = (width: string) => input.replace("w-full", width);
