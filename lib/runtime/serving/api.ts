// The serving API: a framework-free router over node:http for /api/v1/*, mounted by server.ts
// before the Next handler. handle() answers the paths it knows and returns false for the others.
import type { IncomingMessage, ServerResponse } from "node:http";
import { CSRF_COOKIE, CSRF_HEADER, OpenApiDocumentSchema } from "../../schemas";
import { csrfMatches, findSession, originAllowed, sessionTokenOf } from "../auth";
import { dspexVersion } from "../version";
import { createAuthenticator, type Authenticator } from "./auth";
import { internalError, retryAfterHeader, ServingError } from "./errors";
import { authRoutes } from "./auth-routes";
import { healthRoutes } from "./health-routes";
import { parseJson, readBody, sendError, sendJson } from "./http";
import { buildOpenApi, type OpenApiDocument } from "./openapi";
import { optimizationEnv, optimizationRoutes } from "./optimizations-routes";
import { parseServingOptions, type ServingOptions } from "./options";
import { predictRoutes } from "./predict-routes";
import { programsRoutes } from "./programs-routes";
import { createProgramLookup } from "./program-lookup";
import { createRouter, defineRoute, type Caller, type Route, type RouteAuth } from "./router";
import { runsRoutes } from "./runs-routes";
import { costRoutes } from "./costs-routes";
import { datasetRoutes } from "./datasets-routes";
import { metricsRoutes } from "./metrics-routes";
import { supervisionRoutes } from "./supervision-routes";
import { agentsRoutes } from "./agents-routes";
import { settingsRoutes } from "./settings-routes";
import type { ApiKeyLimiter, ServingDeps } from "./types";
import { parseQuery, parseWith } from "./validate";

export interface ServingApi {
  /** Answers a request under /api/v1 and resolves true; resolves false (touching nothing) when the path is not the API's. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The OpenAPI 3.1 document of every route. */
  openapi(): OpenApiDocument;
  /** Forgets cached active versions (one program's, or all), e.g. after a promote or rollback in this process. */
  invalidateProgram(name?: string): void;
  /** Stops trusting a cached API key at once, e.g. after a revoke in this process. */
  forgetApiKey(keyId: string): void;
}

const PREFIX = "/api/v1/";

/** GET /api/v1/openapi.json: the document, generated once and served as text. */
function openapiRoute(document: () => OpenApiDocument): Route {
  let text: string | undefined;
  return defineRoute(
    {
      method: "GET",
      path: "/api/v1/openapi.json",
      operationId: "openapi",
      summary: "This document",
      tag: "system",
      auth: false,
      success: { status: 200, name: "OpenApiDocument", schema: OpenApiDocumentSchema, description: "The OpenAPI 3.1 document of the serving API." },
      errors: [],
    },
    async () => ({ status: 200, body: (text ??= JSON.stringify(document())) }),
  );
}

/** Takes `cost` units of the caller's rate limit (its key's, or the signed-in user's), or throws RATE_LIMITED with Retry-After. */
async function takeRate(limiter: ApiKeyLimiter, caller: Caller, cost: number): Promise<void> {
  const key = caller.kind === "key" ? caller.key : { id: `user:${caller.user.id}`, name: `of ${caller.user.email}`, rateLimitPerMinute: null };
  const decision = await limiter.check(key.id, key.rateLimitPerMinute ?? undefined, cost);
  if (decision.allowed) return;
  const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const per = key.rateLimitPerMinute;
  const message =
    per && cost > per
      ? `this batch counts ${cost} requests but API key "${key.name}" allows ${per} per minute; send batches of at most ${per} inputs`
      : `rate limit ${caller.kind === "key" ? `of API key "${key.name}"` : key.name} reached${per ? ` (${per} requests per minute)` : ""}; retry in ${seconds} s`;
  throw new ServingError("RATE_LIMITED", message, undefined, retryAfterHeader(decision.retryAfterMs));
}

/**
 * The caller of a route that needs one: an API key (Authorization header) where keys are allowed,
 * else the dashboard session of the cookie; changes made with a session need the CSRF header and
 * a same-origin Origin.
 */
async function identify(ctx: { readonly auth: Authenticator; readonly prisma: ServingDeps["prisma"] }, auth: Exclude<RouteAuth, false>, req: IncomingMessage): Promise<Caller> {
  const header = req.headers.authorization;
  if (auth === true && header !== undefined && header.trim() !== "") return { kind: "key", key: await ctx.auth.authenticate(header) };
  const token = sessionTokenOf(req);
  if (token === undefined) {
    if (auth === true) return { kind: "key", key: await ctx.auth.authenticate(header) };
    throw new ServingError("UNAUTHORIZED", "this endpoint is for people signed in to the dashboard: sign in first (POST /api/v1/auth/login)");
  }
  const session = await findSession(ctx.prisma, token);
  if (!session) throw new ServingError("UNAUTHORIZED", "your session has ended (signed out or expired): sign in again");
  if (auth === "admin" && session.user.role !== "admin") throw new ServingError("FORBIDDEN", "only administrators may do this");
  if (req.method !== "GET" && req.method !== "HEAD") {
    if (!originAllowed(req)) throw new ServingError("FORBIDDEN", "cross-site request refused: the Origin header names another site");
    const presented = req.headers[CSRF_HEADER];
    if (!csrfMatches(session, Array.isArray(presented) ? presented[0] : presented)) {
      throw new ServingError("FORBIDDEN", `missing or wrong CSRF token: send the value of the ${CSRF_COOKIE} cookie in the ${CSRF_HEADER} header`);
    }
  }
  return { kind: "user", user: session.user, sessionId: session.id };
}

/**
 * Runs one matched route: key and rate limit (before the body, or after it when the route counts
 * its body), query, body (size cap, one JSON parse, schema), handler, response.
 */
async function dispatch(
  ctx: { readonly auth: Authenticator; readonly limiter: ApiKeyLimiter; readonly options: ServingOptions; readonly prisma: ServingDeps["prisma"] },
  route: Route,
  call: { readonly req: IncomingMessage; readonly res: ServerResponse; readonly params: Record<string, string>; readonly queryString: string },
): Promise<void> {
  const { spec } = route;
  const { req, res } = call;
  let caller: Caller | undefined;
  if (spec.auth) {
    caller = await identify(ctx, spec.auth, req);
    if (!spec.body?.cost) await takeRate(ctx.limiter, caller, 1);
  }
  const query = spec.query ? parseQuery(spec.query, call.queryString) : undefined;
  let body: unknown;
  if (spec.body) {
    const raw = await readBody(req, spec.body.limit === "batch" ? ctx.options.maxBatchBodyBytes : ctx.options.maxBodyBytes);
    body = parseWith(spec.body.schema, parseJson(raw), "body");
    if (caller && spec.body.cost) await takeRate(ctx.limiter, caller, spec.body.cost(body));
  }
  const reply = await route.handle({ req, res, params: call.params, caller: caller!, query, body });
  if (typeof reply.body === "string") {
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(reply.body), "cache-control": "no-store", ...reply.headers });
    res.end(reply.body);
  } else sendJson(res, reply.status, reply.body, reply.headers);
}

export function createServingApi(deps: ServingDeps): ServingApi {
  const options = parseServingOptions(deps.options);
  const now = deps.now ?? Date.now;
  const auth = createAuthenticator(deps.prisma, { ttlMs: options.authCacheTtlMs, size: options.authCacheSize, now, ...(deps.apiKeyUsage && { usage: deps.apiKeyUsage }) });
  const programs = createProgramLookup(deps.prisma, deps.registry, deps.resolver, { ttlMs: options.programCacheTtlMs, now });
  const env = { deps, timeoutMs: options.runTimeoutMs, batchConcurrency: options.batchConcurrency };

  let document: OpenApiDocument | undefined;
  const openapi = (): OpenApiDocument => (document ??= buildOpenApi(routes.map((r) => r.spec), dspexVersion()));
  const routes: Route[] = [
    ...predictRoutes(env, programs),
    ...runsRoutes(deps.prisma),
    ...datasetRoutes({ prisma: deps.prisma, registry: deps.registry }),
    ...costRoutes({ prisma: deps.prisma, now, ...(deps.refreshBudgets && { onBudgetsChanged: deps.refreshBudgets }), ...(deps.flushEvents && { flushEvents: deps.flushEvents }) }),
    ...programsRoutes({ prisma: deps.prisma, registry: deps.registry, resolver: deps.resolver, invalidate: (name) => programs.invalidate(name), now }),
    ...metricsRoutes(deps.prisma, deps.supervisor, now),
    ...supervisionRoutes(deps.prisma, deps.supervisor),
    ...agentsRoutes({ prisma: deps.prisma, ...(deps.agentJobs && { jobs: deps.agentJobs }) }),
    ...optimizationRoutes(optimizationEnv(deps, (name) => programs.invalidate(name))),
    ...healthRoutes(deps.prisma),
    ...authRoutes(deps.prisma, deps.limiter),
    ...settingsRoutes({ prisma: deps.prisma, forgetApiKey: (id) => auth.forget(id), ...(deps.secrets && { secrets: deps.secrets }), ...(deps.prices && { prices: deps.prices }), ...(deps.onPricesChanged && { onPricesChanged: deps.onPricesChanged }) }),
    openapiRoute(openapi),
  ];
  const router = createRouter(routes);
  const ctx = { auth, limiter: deps.limiter, options, prisma: deps.prisma };

  return {
    async handle(req, res) {
      const url = req.url ?? "/";
      if (!url.startsWith(PREFIX)) return false;
      const q = url.indexOf("?");
      const match = router.match(req.method ?? "GET", q < 0 ? url : url.slice(0, q));
      if (match === undefined) return false;
      if ("allow" in match) {
        const allow = match.allow.join(", ");
        sendError(res, new ServingError("METHOD_NOT_ALLOWED", `${req.method} is not allowed here; use ${allow}`, undefined, { allow }));
        return true;
      }
      try {
        await dispatch(ctx, match.route, { req, res, params: match.params, queryString: q < 0 ? "" : url.slice(q + 1) });
      } catch (err) {
        const error = internalError(err, `${match.route.spec.method} ${match.route.spec.path}`);
        if (error.code === "INTERNAL") deps.onError?.(err, { route: match.route.spec.path });
        sendError(res, error);
      }
      return true;
    },
    openapi,
    invalidateProgram: (name) => programs.invalidate(name),
    forgetApiKey: (keyId) => auth.forget(keyId),
  };
}
