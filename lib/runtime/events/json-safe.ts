// Program inputs and outputs are whatever user code returns: class instances, bigints, cycles,
// strings with NUL characters or lone surrogates (a model's reply can hold either). Everything on
// the stream must survive JSON (socket.io) and PostgreSQL jsonb (which refuses \u0000 and an
// unpaired \ud800-\udfff), so the tracer copies such values through this first.

const MAX_DEPTH = 12;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** In JSON.stringify's output a lone surrogate is an escape (pairs are written as they are). */
const ESCAPED_SURROGATE = /(^|[^\\])(\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

/** The text without NUL, each lone surrogate replaced by U+FFFD. */
function storable(text: string): string {
  const noNul = text.includes("\0") ? text.replaceAll("\0", "") : text;
  return noNul.replace(LONE_SURROGATE, "\ufffd");
}

/** A JSON-safe copy: bigint → string, Date → ISO, Error → {name, message}, Map/Set → object/array, cycles → "[Circular]", NUL removed, lone surrogates → U+FFFD. */
export function jsonSafe(value: unknown): unknown {
  return copy(value, 0, []);
}

function copy(value: unknown, depth: number, stack: object[]): unknown {
  switch (typeof value) {
    case "string":
      return storable(value);
    case "number":
      return Number.isFinite(value) ? value : null;
    case "boolean":
      return value;
    case "bigint":
      return value.toString();
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (stack.includes(obj)) return "[Circular]";
  if (depth >= MAX_DEPTH) return "[Truncated]";
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
  if (obj instanceof Error) return { name: obj.name, message: copy(obj.message, depth + 1, stack) };
  stack.push(obj);
  try {
    if (Array.isArray(obj)) return obj.map((v) => copy(v, depth + 1, stack) ?? null);
    if (obj instanceof Map) return copy(Object.fromEntries(obj), depth, stack);
    if (obj instanceof Set) return copy([...obj], depth, stack);
    if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return copy(toJSON.call(obj), depth + 1, stack);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const c = copy(v, depth + 1, stack);
      if (c !== undefined) out[storable(k)] = c;
    }
    return out;
  } finally {
    stack.pop();
  }
}

/** JSON text for PostgreSQL jsonb: JSON.stringify, falling back to `jsonSafe` for values it cannot take (bigint, NUL, lone surrogates). */
export function toJsonText(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    // "\u0000" in the text is a NUL inside some string (an escaped backslash would read "\\u0000").
    const nul = text.includes("\\u0000") && /(^|[^\\])(\\\\)*\\u0000/.test(text);
    const surrogate = (text.includes("\\ud") || text.includes("\\uD")) && ESCAPED_SURROGATE.test(text);
    if (!nul && !surrogate) return text;
  } catch {
    // bigint or a cycle: the safe copy handles both
  }
  return JSON.stringify(jsonSafe(value));
}
