/** A value as indented JSON (strings as they are), scrollable and selectable. */
import { showControls } from "./visible-controls";

export function JsonBlock({ value, label, maxHeight = "max-h-72" }: { value: unknown; label?: string; maxHeight?: string }) {
  const text = typeof value === "string" ? value : value === undefined ? "—" : JSON.stringify(value, null, 2);
  return (
    <pre aria-label={label} className={`${maxHeight} overflow-auto rounded-md bg-subtle p-3 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words`}>
      {showControls(text)}
    </pre>
  );
}
