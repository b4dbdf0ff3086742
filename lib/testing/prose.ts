// What a model that ignores the adapter's format writes: the same content as chatty prose, with
// no field markers and no JSON object (the parse fails the way it fails on such real models).

const MARKER = /\[\[\s*##\s*([^#\]]+?)\s*##\s*\]\]/g;

export function proseOf(text: string): string {
  const values = fieldValues(text);
  if (values.length === 0) return `Sure! ${text.replace(MARKER, "").trim()}`;
  return `Sure! Here is what I found. ${values.map(([name, value]) => `The ${name.replace(/_/g, " ")} would be ${value.replace(/\s+/g, " ").trim()}.`).join(" ")}`;
}

function fieldValues(text: string): [string, string][] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as Record<string, unknown>;
      return Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
    } catch {
      return [];
    }
  }
  const out: [string, string][] = [];
  const parts = trimmed.split(MARKER);
  // split with one capture group: [before, name1, value1, name2, value2, ...]
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const name = (parts[i] as string).trim();
    if (name !== "completed") out.push([name, (parts[i + 1] as string).trim()]);
  }
  return out;
}
