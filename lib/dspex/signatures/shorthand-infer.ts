// Type-level reading of the shorthand, so `signature("question -> answer: number")` is a
// Signature<{ question: string }, { answer: number }>. Covers names, "?", the simple types, lists
// ("t[]", "list(t)"), score/embedding bounds, labels (as a union of literals) and descriptions.
// Anything it cannot read falls back to Record<string, unknown> for that side, or `unknown` for
// a field of an unknown type.
import type { Signature, Values } from "./types";

type WS = " " | "\n" | "\t" | "\r";
export type Trim<S extends string> = S extends `${WS}${infer R}` ? Trim<R> : S extends `${infer L}${WS}` ? Trim<L> : S;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Splits on commas outside parentheses and quotes (tail-recursive, one character per step). */
type SplitTop<S extends string, Cur extends string = "", Depth extends unknown[] = [], Quoted extends boolean = false, Acc extends string[] = []> =
  S extends `${infer C}${infer Rest}`
    ? Quoted extends true
      ? C extends "\\"
        ? Rest extends `${infer E}${infer Rest2}`
          ? SplitTop<Rest2, `${Cur}${C}${E}`, Depth, true, Acc>
          : SplitTop<Rest, `${Cur}${C}`, Depth, true, Acc>
        : SplitTop<Rest, `${Cur}${C}`, Depth, C extends '"' ? false : true, Acc>
      : C extends '"'
        ? SplitTop<Rest, `${Cur}${C}`, Depth, true, Acc>
        : C extends "("
          ? SplitTop<Rest, `${Cur}${C}`, [...Depth, unknown], false, Acc>
          : C extends ")"
            ? SplitTop<Rest, `${Cur}${C}`, Depth extends [unknown, ...infer D] ? D : [], false, Acc>
            : C extends ","
              ? Depth extends []
                ? SplitTop<Rest, "", Depth, false, [...Acc, Trim<Cur>]>
                : SplitTop<Rest, `${Cur}${C}`, Depth, false, Acc>
              : SplitTop<Rest, `${Cur}${C}`, Depth, false, Acc>
    : [...Acc, Trim<Cur>];

type SplitSimple<S extends string> = S extends `${infer H},${infer T}` ? [Trim<H>, ...SplitSimple<T>] : [Trim<S>];

type Unquote<S extends string> = S extends `"${infer Q}"` ? Q : S;

type QuotedLabels<S extends string, Acc = never> = S extends `"${infer L}"${infer Rest}`
  ? Trim<Rest> extends `|${infer More}`
    ? QuotedLabels<Trim<More>, Acc | L>
    : Acc | L
  : Acc | string;

type NumberTypes = "number" | "integer" | "int" | "probability" | "confidence" | "score";

export type TypeOf<T extends string> = T extends "string"
  ? string
  : T extends NumberTypes
    ? number
    : T extends "boolean" | "bool"
      ? boolean
      : T extends "json"
        ? Record<string, unknown>
        : T extends `${infer X}[]`
          ? TypeOf<Trim<X>>[]
          : T extends `list(${infer X})`
            ? TypeOf<Trim<X>>[]
            : T extends `score(${string})`
              ? number
              : T extends `embedding(${string})`
                ? number[]
                : T extends `labels(${infer L})`
                  ? Unquote<SplitSimple<L>[number]>
                  : T extends `"${string}`
                    ? QuotedLabels<T>
                    : unknown;

/** The type text without a trailing "description". */
type TypeText<T extends string> = T extends `"${string}` ? T : T extends `${infer Ty}"${string}` ? Trim<Ty> : T;

type BadNameChar = " " | '"' | "(" | ")" | ":" | "-" | ">" | "|" | "[" | "]";

type NameOf<N extends string> = Trim<N extends `${infer A}"${string}` ? A : N>;

type Parsed<F extends string> = F extends `${infer N}:${infer T}`
  ? N extends `${string}"${string}`
    ? { name: NameOf<N>; type: string }
    : { name: Trim<N>; type: TypeOf<TypeText<Trim<T>>> }
  : { name: NameOf<F>; type: string };

type IsOptional<N extends string> = N extends `${string}?` ? true : false;
type BareName<N extends string> = N extends `${infer B}?` ? Trim<B> : N;
type ValidName<N extends string> = N extends "" ? false : N extends `${string}${BadNameChar}${string}` ? false : true;

type AllValid<Fs extends string> = false extends (Fs extends string ? ValidName<BareName<Parsed<Fs>["name"]>> : never) ? false : true;

type FieldsObject<Fs extends string> = Simplify<
  { [F in Fs as IsOptional<Parsed<F>["name"]> extends true ? never : Parsed<F>["name"]]: Parsed<F>["type"] } & {
    [F in Fs as IsOptional<Parsed<F>["name"]> extends true ? BareName<Parsed<F>["name"]> : never]?: Parsed<F>["type"];
  }
>;

/** The values of one side ("question, context?") as an object type. */
export type InferFields<S extends string> = Trim<S> extends ""
  ? Record<never, never>
  : SplitTop<Trim<S>>[number] extends infer Fs extends string
    ? AllValid<Fs> extends true
      ? FieldsObject<Fs>
      : Values
    : Values;

/** The Signature type a shorthand string describes. */
export type InferSignature<S extends string> = string extends S
  ? Signature<Values, Values>
  : S extends `${infer In}->${infer Out}`
    ? Signature<InferFields<In>, InferFields<Out>>
    : Signature<Values, Values>;
