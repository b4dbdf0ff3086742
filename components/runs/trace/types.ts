import type { z } from "zod";
import type { LMCallViewSchema, SpanNodeShape, TraceSchema } from "@/lib/schemas";

export type Trace = z.infer<typeof TraceSchema>;
export type LMCall = z.infer<typeof LMCallViewSchema>;
export type SpanNode = SpanNodeShape;

/** One line of the span tree: a span, or an LM call inside one (or outside any). */
export type TraceRow =
  | { readonly key: string; readonly kind: "span"; readonly depth: number; readonly span: SpanNode; readonly start: number; readonly end: number | null; readonly hasChildren: boolean; readonly ancestors: readonly string[] }
  | { readonly key: string; readonly kind: "lm"; readonly depth: number; readonly call: LMCall; readonly start: number; readonly end: number; readonly hasChildren: false; readonly ancestors: readonly string[] };
