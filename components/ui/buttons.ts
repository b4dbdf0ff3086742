// The dashboard's button classes. A variant is one complete class list (never a base plus
// overrides): two background utilities on one element resolve by stylesheet order, not by the
// order written, which once left a primary button white on white.
const shape =
  "inline-flex shrink-0 items-center justify-center gap-1.5 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent disabled:cursor-not-allowed disabled:opacity-50";

/** A secondary action: card background, border. */
export const btn = `${shape} border border-border bg-card text-fg hover:bg-subtle`;
/** The main action of a view: accent background with its contrasting text. */
export const btnPrimary = `${shape} border border-accent bg-accent text-accent-fg hover:opacity-90`;
