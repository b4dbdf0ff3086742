// Text the database cannot store or that would exhaust a parser: NUL characters (PostgreSQL refuses
// them in text and JSON), lone surrogates (not encodable as UTF-8), and JSON nested too deep. Pure
// checks, shared by the HTTP edge and the dataset importer.

/** Whether JSON text nests arrays or objects more than `max` levels deep (scanned, never parsed). */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** What makes `text` unstorable (a message to follow the field's name), or undefined. */
export function textProblem(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return `contains a NUL character (\\u0000) at position ${i}; remove it`;
    if (c >= 0xd800 && c <= 0xdfff) {
      const paired = c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      if (!paired) return `contains a lone surrogate (\\u${c.toString(16)}) at position ${i}, which is not valid Unicode`;
      i++;
    }
  }
  return undefined;
}

/** The first unstorable string in a parsed JSON value (keys included): its dotted path and problem. */
export function findTextProblem(value: unknown, path = ""): { readonly field: string; readonly message: string } | undefined {
  if (typeof value === "string") {
    const message = textProblem(value);
    return message ? { field: path, message } : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  for (const [key, v] of entries) {
    const at = path ? `${path}.${key}` : key;
    const message = Array.isArray(value) ? undefined : textProblem(key);
    if (message) return { field: `${at} (the name)`, message };
    const found = findTextProblem(v, at);
    if (found) return found;
  }
  return undefined;
}
