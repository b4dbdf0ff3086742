export const scoreText = (n: number | null | undefined) => (n === null || n === undefined ? "–" : n.toFixed(3));

/** A value as one line: strings as they are, the rest as compact JSON. */
export function valueText(v: unknown): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "string") return v;
  return JSON.stringify(v);
}
