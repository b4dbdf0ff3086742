// Class names shared by the programs area's controls (buttons come from the UI kit).
export { btn, btnPrimary } from "@/components/ui";
export const input =
  "w-full rounded-md border border-border bg-bg px-2.5 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-accent aria-[invalid=true]:border-bad";
export const badge = "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium";
/** The input style at a fixed width instead of the full width. */
export const inputWidth = (width: string) => input.replace("w-full", width);
