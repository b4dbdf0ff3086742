// The browser's way to call the DSPEx API, derived from the route table: a call names its route
// (routes.listRuns), so its path parameters, query, body and reply are typed from the route's
// schemas, and renaming a route or a field fails the type check. Same-origin with the session
// cookie, the CSRF header on every change, and errors as ApiError with the server's per-field
// messages (for forms).
import { ApiErrorBodySchema, CSRF_COOKIE, CSRF_HEADER, type ApiErrorBody } from "../../schemas";
import type { BodyInput, ParamsInput, QueryInput, ReplyOf, RouteSpec } from "../routes";

export type FieldErrors = Readonly<Record<string, string>>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path ("budget.usd", "input.question") -> message. */
    readonly fields: FieldErrors = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Part<K extends string, T, Required extends boolean> = [T] extends [undefined] ? { readonly [P in K]?: undefined } : Required extends true ? { readonly [P in K]: T } : { readonly [P in K]?: T };

/**
 * A route's query: each field as its schema takes it, or as the string read from the page's URL
 * (filters kept in the address bar); the names are checked here, string values by the server.
 */
export type QueryArg<Q> = [Q] extends [undefined] ? undefined : { readonly [K in keyof Q]?: Q[K] | string };

/** Where a route's URL comes from: its path parameters (required when it has some) and query. */
export type UrlParts<S> = Part<"params", ParamsInput<S>, true> & Part<"query", QueryArg<QueryInput<S>>, false>;

/** One call of a route: path parameters and body are required when the route has them. */
export type RequestOf<S> = UrlParts<S> & Part<"body", BodyInput<S>, true> & { readonly signal?: AbortSignal };

/** The request argument may be left out when the route needs neither path parameters nor a body. */
export type RequestArgs<S> = [ParamsInput<S>, BodyInput<S>] extends [undefined, undefined] ? [request?: RequestOf<S>] : [request: RequestOf<S>];

function queryValue(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The URL of a route: path parameters filled in (encoded), the query's set values appended. */
export function urlOf<S extends RouteSpec>(spec: S, parts: UrlParts<S>): string {
  const params = (parts.params ?? {}) as Readonly<Record<string, unknown>>;
  const path = spec.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null) throw new TypeError(`${spec.operationId}: path parameter "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries((parts.query ?? {}) as Readonly<Record<string, unknown>>)) {
    const text = queryValue(value);
    if (text !== undefined) search.set(key, text);
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

export function csrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** The ApiError for a refused call: the server's code, message and per-field messages; a 401 sends the page to sign-in. */
export function failure(status: number, json: unknown): ApiError {
  const parsed = ApiErrorBodySchema.safeParse(json);
  if (!parsed.success) return new ApiError(status, "HTTP_ERROR", `the server answered ${status}`);
  const error: ApiErrorBody["error"] = parsed.data.error;
  const fields: Record<string, string> = {};
  for (const f of error.fields ?? []) fields[f.field] ??= f.message;
  if (status === 401 && typeof window !== "undefined" && !window.location.pathname.startsWith("/login") && !window.location.pathname.startsWith("/setup")) {
    window.location.href = `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
  }
  return new ApiError(status, error.code, error.message, fields);
}

/** Calls a route of the table and resolves to its reply, checked with the route's reply schema. */
export type ApiCall = <S extends RouteSpec>(spec: S, ...[request]: RequestArgs<S>) => Promise<ReplyOf<S>>;

export interface ApiClientOptions {
  /** Where the server is ("http://127.0.0.1:3000"); the browser leaves it out (same origin). */
  readonly baseUrl?: string;
  /** Sent with every call, e.g. { authorization: "Bearer <API key>" }. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A client for a server elsewhere (the CLI, tests), authenticated by the headers it is given. */
export function apiClient(options: ApiClientOptions = {}): ApiCall {
  const base = options.baseUrl?.replace(/\/+$/, "") ?? "";
  return async (spec, ...[request]) => {
    const r = (request ?? {}) as RequestOf<typeof spec>;
    const hasBody = spec.body !== undefined;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (hasBody) headers["content-type"] = "application/json";
    const csrf = spec.method === "GET" ? undefined : csrfToken();
    if (csrf) headers[CSRF_HEADER] = csrf;
    const res = await fetch(base + urlOf(spec, r), {
      method: spec.method,
      headers,
      credentials: "same-origin",
      ...(hasBody && { body: JSON.stringify(r.body ?? {}) }),
      ...(r.signal && { signal: r.signal }),
    });
    return readReply(spec, res);
  };
}

/** The browser's client: same origin, the session cookie, the CSRF header on every change. */
export const callApi: ApiCall = apiClient();

async function readReply<S extends RouteSpec>(spec: S, res: Response): Promise<ReplyOf<S>> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, "INVALID_RESPONSE", `the server answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) throw failure(res.status, json);
  const parsed = spec.success.schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, "INVALID_RESPONSE", `unexpected answer from ${spec.operationId}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data as ReplyOf<S>;
}

export { routes } from "../routes";
