// Plausible values of the right type for any output field, so every program runs on the demo
// model: text drawn from the inputs, numbers found in them, a valid label, a probability, lists,
// JSON following the schema, unit-length embeddings.
import type { DemoField, DemoFieldKind } from "./field-lines";
import type { Draws } from "./seeded-hash";
import { drawsFrom } from "./seeded-hash";
import { readLabels } from "./solve-classify";
import { contentStems, firstWords, isStopWord, words } from "./text-words";

export interface FillContext {
  /** The input values as text, in field order. */
  readonly inputs: Readonly<Record<string, string>>;
  readonly draws: Draws;
  /** The field's JSON schema, when the request carried one. */
  readonly schema?: unknown;
}

function allText(inputs: Readonly<Record<string, string>>): string {
  return Object.values(inputs).join("\n");
}

function longestInput(inputs: Readonly<Record<string, string>>): string {
  return Object.values(inputs).reduce((a, b) => (b.length > a.length ? b : a), "");
}

function numbersIn(text: string): number[] {
  return (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number).filter(Number.isFinite);
}

function keywords(text: string, max: number): string[] {
  const seen = new Set<string>();
  for (const w of words(text)) if (!isStopWord(w) && w.length > 2 && !/^\d/.test(w)) seen.add(w);
  return [...seen].slice(0, max);
}

function textValue(field: DemoField, ctx: FillContext): string {
  const source = longestInput(ctx.inputs);
  const keys = keywords(allText(ctx.inputs), 4);
  if (/reason|rationale|explanation|thought|analysis/i.test(field.name)) {
    const names = Object.keys(ctx.inputs);
    return `I read the ${names.length ? names.join(" and ") : "request"}${keys.length ? `, noting ${keys.join(", ")}` : ""}, and answered from what it says.`;
  }
  if (source.trim() === "") return ctx.draws.pick(["Done.", "Nothing to report.", "Acknowledged."]);
  return firstWords(source.replace(/\s+/g, " "), /title|name|label|tag|topic/i.test(field.name) ? 5 : 16);
}

function clampTo(field: DemoField, n: number): number {
  return Math.min(field.max ?? Infinity, Math.max(field.min ?? -Infinity, n));
}

function between(min: number, max: number, t: number): number {
  return Math.round((min + (max - min) * t) * 100) / 100;
}

/** A deterministic unit-length vector for a text: the same text always embeds the same way. */
export function embed(text: string, dimensions: number): number[] {
  const d = drawsFrom("embedding", contentStems(text).join(" "));
  const raw = Array.from({ length: dimensions }, () => d.next() * 2 - 1);
  const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0)) || 1;
  return raw.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

function valueOfKind(kind: DemoFieldKind, field: DemoField, ctx: FillContext): unknown {
  const text = allText(ctx.inputs);
  switch (kind) {
    case "string":
      return textValue(field, ctx);
    case "number":
      return clampTo(field, numbersIn(text)[0] ?? ctx.draws.int(1, 100));
    case "integer":
      return clampTo(field, Math.round(numbersIn(text)[0] ?? ctx.draws.int(1, 100)));
    case "boolean":
      return ctx.draws.next() < 0.5;
    case "probability":
    case "confidence":
      return between(field.min ?? 0, field.max ?? 1, 0.55 + 0.4 * ctx.draws.next());
    case "score":
      return Math.round(between(field.min ?? 0, field.max ?? 10, 0.5 + 0.4 * ctx.draws.next()));
    case "labels":
      return readLabels(text, field.labels)?.label ?? "";
    case "embedding":
      return embed(text, field.dimensions ?? 8);
    case "json":
      if (ctx.schema) return fromSchema(ctx.schema, ctx, field);
      if (field.keys) return Object.fromEntries(field.keys.map((k) => [k.name, valueOfKind(k.kind, { ...field, name: k.name, kind: k.kind, keys: undefined }, ctx)]));
      return { summary: firstWords(text, 12), keywords: keywords(text, 3) };
    case "list": {
      const item = field.itemKind ?? "string";
      const count = Math.max(field.min ?? 0, Math.min(field.max ?? 3, 3));
      if (item === "string") {
        const keys = keywords(text, count);
        while (keys.length < count) keys.push(`item ${keys.length + 1}`);
        return keys;
      }
      const itemField: DemoField = { ...field, kind: item, min: undefined, max: undefined };
      return Array.from({ length: count }, () => valueOfKind(item, itemField, ctx));
    }
  }
}

/** A value following a JSON schema (objects, arrays, enums, the primitive types). */
export function fromSchema(schema: unknown, ctx: FillContext, field: DemoField): unknown {
  const s = (schema ?? {}) as { type?: unknown; enum?: unknown[]; properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[]; minimum?: number; maximum?: number };
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  if (Array.isArray(s.anyOf) && s.anyOf.length > 0) return fromSchema(s.anyOf[0], ctx, field);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "object":
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, fromSchema(v, ctx, { ...field, name: k })]));
    case "array":
      return [fromSchema(s.items, ctx, field)];
    case "number":
      return between(s.minimum ?? 0, s.maximum ?? 100, 0.5);
    case "integer":
      return Math.round(between(s.minimum ?? 0, s.maximum ?? 100, 0.5));
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return textValue(field, ctx);
  }
}

export function fillGeneric(field: DemoField, ctx: FillContext): unknown {
  return valueOfKind(field.kind, field, ctx);
}
