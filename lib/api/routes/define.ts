// One route of the API as data: method, path template, the zod schemas of its path parameters,
// query, body and reply, and who may call it. The server binds a handler to each; the OpenAPI
// document and the browser's typed client are derived from the same values.
import type { z } from "zod";
import type { ApiErrorCode } from "../../schemas";

/** Who may call a route: anyone, an API key or a signed-in user, a signed-in user only, an administrator only. */
export type RouteAuth = false | true | "session" | "admin";

export type HttpMethod = "GET" | "POST";

export interface RouteBodySpec<B = unknown> {
  readonly name: string;
  readonly schema: z.ZodType<B>;
  readonly example: unknown;
  /** Which size cap applies (the server's maxBodyBytes or maxBatchBodyBytes). */
  readonly limit: "single" | "batch";
  /** Rate-limit units the request takes (default 1); the check then happens after the body is read. */
  cost?(body: B): number;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI form: /api/v1/programs/{name}/predict. Every {name} is a key of `params`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /**
   * true: `Authorization: Bearer <API key>` or a dashboard session (counts against the key's or
   * the user's rate limit); "session": a signed-in user only; "admin": an administrator only.
   * Changes made with a session need the CSRF header.
   */
  readonly auth: RouteAuth;
  /** Path parameters, validated before the handler runs (a bad one is a 400 naming it). */
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: RouteBodySpec;
  readonly success: { readonly status: number; readonly name: string; readonly schema: z.ZodType; readonly description: string };
  /** Errors particular to this route (the router adds those of auth, params, bodies and queries). */
  readonly errors: readonly ApiErrorCode[];
  /** Failed answers may name the recorded run in an X-Run-Id header. */
  readonly runs?: boolean;
}

/** A route as written, with its literal method, path and schemas kept for the types derived from it. */
export function route<const S extends RouteSpec>(spec: S): S {
  return spec;
}

type SchemaAt<S, K extends string> = S extends { readonly [P in K]: infer T extends z.ZodType } ? T : undefined;

/** Path parameters as the handler receives them (parsed), or as a caller gives them (input). */
export type ParamsOf<S> = SchemaAt<S, "params"> extends infer T extends z.ZodType ? z.output<T> : Record<string, never>;
export type ParamsInput<S> = SchemaAt<S, "params"> extends infer T extends z.ZodType ? z.input<T> : undefined;
export type QueryOf<S> = SchemaAt<S, "query"> extends infer T extends z.ZodType ? z.output<T> : undefined;
export type QueryInput<S> = SchemaAt<S, "query"> extends infer T extends z.ZodType ? z.input<T> : undefined;
type BodySchema<S> = S extends { readonly body: { readonly schema: infer T extends z.ZodType } } ? T : undefined;
export type BodyOf<S> = BodySchema<S> extends infer T extends z.ZodType ? z.output<T> : undefined;
export type BodyInput<S> = BodySchema<S> extends infer T extends z.ZodType ? z.input<T> : undefined;
/** The reply of a route as the client reads it (parsed with the success schema). */
export type ReplyOf<S> = S extends { readonly success: { readonly schema: infer T extends z.ZodType } } ? z.output<T> : never;

/** The names in a path template: "/a/{x}/b/{y}" -> "x" | "y". */
export type PathParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | PathParamNames<Rest> : never;

/** The {names} of a path template, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}
