// Class names shared by the dataset screens' controls (tailwind tokens from app/globals.css).
export const btn = "inline-flex items-center gap-1.5 rounded-md border border-border bg-card px-3 py-1.5 text-sm hover:bg-subtle disabled:opacity-50";
export const btnPrimary = "inline-flex items-center gap-1.5 rounded-md bg-accent px-3 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90 disabled:opacity-60";
export const input = "w-full rounded-md border border-border bg-bg px-2.5 py-1.5 text-sm";
export const label = "block text-xs font-medium text-muted";
export const fieldError = "mt-1 text-xs text-bad";
export const th = "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-muted";
export const td = "px-3 py-2 align-top";
