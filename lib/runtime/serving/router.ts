// The server side of the route table: a handler bound to each route of lib/api/routes, and the
// matching of a request's method and path to one of them.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pathParamNames, type BodyOf, type HttpMethod, type ParamsOf, type QueryOf, type RouteSpec } from "../../api/routes";
import type { SessionUser } from "../../schemas";
import type { VerifiedApiKey } from "../store";

/** Who is calling: a program with an API key, or a person signed in to the dashboard. */
export type Caller = { readonly kind: "key"; readonly key: VerifiedApiKey } | { readonly kind: "user"; readonly user: SessionUser; readonly sessionId: string };

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a handler receives: everything already parsed with the route's schemas. */
export interface Call<S extends RouteSpec = RouteSpec> {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Path parameters, decoded and validated. */
  readonly params: ParamsOf<S>;
  /** The caller: always present on routes with `auth`, undefined on public ones. */
  readonly caller: S["auth"] extends false ? Caller | undefined : Caller;
  readonly query: QueryOf<S>;
  readonly body: BodyOf<S>;
}

export interface Route {
  readonly spec: RouteSpec;
  handle(call: Call): Promise<Reply>;
}

/** Binds the handler of one route of the table (lib/api/routes); the types come from its schemas. */
export function implement<S extends RouteSpec>(spec: S, handle: (call: Call<S>) => Promise<Reply>): Route {
  return { spec, handle: handle as (call: Call) => Promise<Reply> };
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

/** Refuses a route whose path parameters and params schema disagree (each {name} must be validated). */
function checkParams(spec: RouteSpec): void {
  const names = pathParamNames(spec.path);
  const keys = spec.params ? Object.keys(spec.params.shape) : [];
  const missing = names.filter((n) => !keys.includes(n));
  const extra = keys.filter((k) => !names.includes(k));
  if (missing.length || extra.length) {
    throw new Error(`route ${spec.operationId} (${spec.method} ${spec.path}): ${missing.length ? `path parameters without a schema: ${missing.join(", ")}` : ""}${missing.length && extra.length ? "; " : ""}${extra.length ? `params schema keys not in the path: ${extra.join(", ")}` : ""}`);
  }
}

/**
 * Which of two routes answers a path both fit: the one with a literal segment at the first place
 * their shapes differ (/optimizations/setup before /optimizations/{id}, /a/{x} before /{y}/b).
 * Paths of different lengths never fit the same request; they are ordered by length only to make
 * this a total order, so the result never depends on the order the routes were given in.
 */
function precedence(a: Compiled, b: Compiled): number {
  if (a.segments.length !== b.segments.length) return a.segments.length - b.segments.length;
  for (let i = 0; i < a.segments.length; i++) {
    const aParam = a.segments[i] === null;
    if (aParam !== (b.segments[i] === null)) return aParam ? 1 : -1;
  }
  return 0;
}

export function createRouter(routes: readonly Route[]): Router {
  const seen = new Set<string>();
  const compiled: Compiled[] = routes.map((route) => {
    checkParams(route.spec);
    const parts = route.spec.path.split("/").slice(1);
    const segments = parts.map((p) => (p.startsWith("{") ? null : p));
    const shape = `${route.spec.method} /${segments.map((s) => s ?? "{}").join("/")}`;
    if (seen.has(shape)) throw new Error(`route ${route.spec.operationId} (${route.spec.method} ${route.spec.path}): another route has the same method and path`);
    seen.add(shape);
    return { route, segments, names: parts.filter((p) => p.startsWith("{")).map((p) => p.slice(1, -1)) };
  });
  // Matching takes the first route that fits, so the most specific shape must come first.
  compiled.sort(precedence);
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
          allow ??= [];
          if (!allow.includes(c.route.spec.method)) allow.push(c.route.spec.method);
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
