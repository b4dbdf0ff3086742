// Routes as data: each one's method, path template, schemas and handler. The same table serves
// requests and generates the OpenAPI document, so a route cannot be served without being documented.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";
import type { ApiErrorCode, SessionUser } from "../../schemas";
import type { VerifiedApiKey } from "../store";

/** Who is calling: a program with an API key, or a person signed in to the dashboard. */
export type Caller = { readonly kind: "key"; readonly key: VerifiedApiKey } | { readonly kind: "user"; readonly user: SessionUser; readonly sessionId: string };

/** Who may call a route: anyone, an API key or a signed-in user, a signed-in user only, an administrator only. */
export type RouteAuth = false | true | "session" | "admin";

export type HttpMethod = "GET" | "POST";

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Call<Q, B> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path parameters, decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The caller (routes with `auth`; undefined on public routes). */
  readonly caller: Caller;
  readonly query: Q;
  readonly body: B;
}

export interface RouteSpec<Q = unknown, B = unknown> {
  readonly method: HttpMethod;
  /** OpenAPI form: /api/v1/programs/{name}/predict. */
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
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType<Q>;
  readonly body?: {
    readonly name: string;
    readonly schema: z.ZodType<B>;
    readonly example: unknown;
    /** Which size cap applies (options maxBodyBytes or maxBatchBodyBytes). */
    readonly limit: "single" | "batch";
    /** Rate-limit units the request takes (default 1); the check then happens after the body is read. */
    readonly cost?: (body: B) => number;
  };
  readonly success: { readonly status: number; readonly name: string; readonly schema: z.ZodType; readonly description: string };
  /** Errors particular to this route (the router adds those of auth, bodies and queries). */
  readonly errors: readonly ApiErrorCode[];
  /** Failed answers may name the recorded run in an X-Run-Id header. */
  readonly runs?: boolean;
}

export interface Route<Q = unknown, B = unknown> {
  readonly spec: RouteSpec<Q, B>;
  handle(call: Call<Q, B>): Promise<Reply>;
}

/** Typed at definition, erased in the table. */
export function defineRoute<Q = undefined, B = undefined>(spec: RouteSpec<Q, B>, handle: (call: Call<Q, B>) => Promise<Reply>): Route {
  return { spec, handle } as unknown as Route;
}

interface Compiled {
  readonly route: Route;
  /** Literal segments, or null where a parameter goes. */
  readonly segments: readonly (string | null)[];
  readonly names: readonly string[];
}

export type Match = { readonly route: Route; readonly params: Record<string, string> } | { readonly allow: readonly HttpMethod[] };

export interface Router {
  readonly routes: readonly Route[];
  /** The route for a path (no query string), `allow` when only the method is wrong, undefined when the path is not ours. */
  match(method: string, path: string): Match | undefined;
}

export function createRouter(routes: readonly Route[]): Router {
  const compiled: Compiled[] = routes.map((route) => {
    const parts = route.spec.path.split("/").slice(1);
    return {
      route,
      segments: parts.map((p) => (p.startsWith("{") ? null : p)),
      names: parts.filter((p) => p.startsWith("{")).map((p) => p.slice(1, -1)),
    };
  });
  const fits = (c: Compiled, parts: readonly string[]): boolean => {
    if (c.segments.length !== parts.length) return false;
    for (let i = 0; i < parts.length; i++) {
      const s = c.segments[i];
      if (s === null ? parts[i] === "" : s !== parts[i]) return false;
    }
    return true;
  };
  return {
    routes,
    match(method, path) {
      const trimmed = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
      const parts = trimmed.split("/");
      parts.shift();
      let allow: HttpMethod[] | undefined;
      for (const c of compiled) {
        if (!fits(c, parts)) continue;
        if (c.route.spec.method !== method) {
          (allow ??= []).push(c.route.spec.method);
          continue;
        }
        const params: Record<string, string> = {};
        let n = 0;
        for (let i = 0; i < parts.length; i++) {
          if (c.segments[i] !== null) continue;
          let value = parts[i]!;
          try {
            value = decodeURIComponent(value);
          } catch {
            // Malformed escapes stay as sent: the lookup then names the value as not found.
          }
          params[c.names[n++]!] = value;
        }
        return { route: c.route, params };
      }
      return allow ? { allow } : undefined;
    },
  };
}

/** A response schema's type as the store returns it (readonly): `const body: Wire<typeof S> = storeResult` checks the store fits the schema. */
export type Wire<S extends z.ZodType> = DeepReadonly<z.output<S>>;
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
