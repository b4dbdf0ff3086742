import { expectTypeOf, test } from "vitest";
import { signature, type Signature, type Values } from "./index";

type IO<S> = S extends Signature<infer I, infer O> ? { inputs: I; outputs: O } : never;

test("the simple form", () => {
  expectTypeOf(signature("question -> answer: number")).toEqualTypeOf<Signature<{ question: string }, { answer: number }>>();
});

test("optional fields, simple types and aliases", () => {
  expectTypeOf<IO<ReturnType<typeof signature<"question, context? -> a: integer, b: int, c: bool, d: boolean, e: probability, f: confidence, g: score, h: json">>>>().toEqualTypeOf<{
    inputs: { question: string; context?: string };
    outputs: { a: number; b: number; c: boolean; d: boolean; e: number; f: number; g: number; h: Record<string, unknown> };
  }>();
});

test("lists, bounded types, labels and descriptions", () => {
  const s = signature('q "the question, in full" -> tags: string[], n: list(integer)[], s: score(1, 5), e: embedding(3), l: labels(pos, neg), u: "a" | "b" "pick one", d: string "short, factual"');
  expectTypeOf(s).toEqualTypeOf<
    Signature<{ q: string }, { tags: string[]; n: number[][]; s: number; e: number[]; l: "pos" | "neg"; u: "a" | "b"; d: string }>
  >();
});

test("no inputs", () => {
  expectTypeOf(signature("-> joke")).toEqualTypeOf<Signature<Record<never, never>, { joke: string }>>();
});

test("falls back when too complex or not a literal", () => {
  expectTypeOf(signature("bad name -> answer")).toEqualTypeOf<Signature<Values, { answer: string }>>();
  const dynamic: string = "q -> a";
  expectTypeOf(signature(dynamic)).toEqualTypeOf<Signature<Values, Values>>();
  expectTypeOf<IO<ReturnType<typeof signature<"q -> a: mystery">>>["outputs"]>().toEqualTypeOf<{ a: unknown }>();
});
