// The serving API: a framework-free router over node:http for /api/v1/*, mounted by server.ts
// before the Next handler. handle() answers the paths it knows and returns false for the others.
import type { IncomingMessage, ServerResponse } from "node:http";
import { routes as table, type RouteAuth } from "../../api/routes";
import { CSRF_COOKIE, CSRF_HEADER } from "../../schemas";
import { csrfMatches, originAllowed, sessionTokenOf } from "../auth";
import { dspexVersion } from "../version";
import { authorize } from "./access";
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
import { createRouter, implement, type Call, type Caller, type Route } from "./router";
import { runsRoutes } from "./runs-routes";
import { traceSearchRoutes } from "./trace-search-routes";
import { scoresRoutes } from "./scores-routes";
import { costRoutes } from "./costs-routes";
import { datasetRoutes } from "./datasets-routes";
import { metricsRoutes } from "./metrics-routes";
import { alertsRoutes } from "./alerts-routes";
import { experimentsRoutes } from "./experiments-routes";
import { supervisionRoutes } from "./supervision-routes";
import { agentsRoutes } from "./agents-routes";
import { agentSystemsRoutes } from "./agent-systems-routes";
import { marketplaceRoutes } from "./marketplace-routes";
import { settingsRoutes } from "./settings-routes";
import type { ApiKeyLimiter, ServingDeps } from "./types";
import { checkParams, checkStrings, requireJson } from "./input-guards";
import { parseParams, parseQuery, parseWith } from "./validate";

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
/** Routes answered even when the server sheds load: probes must see it alive. */
const ALWAYS_ANSWERED = new Set(["health", "ready"]);
const FED_CACHE_TTL_MS = 60_000;

/** GET /api/v1/openapi.json: the document, generated once and served as text. */
function openapiRoute(document: () => OpenApiDocument): Route {
  let text: string | undefined;
  return implement(table.openapi, async () => ({ status: 200, body: (text ??= JSON.stringify(document())) }));
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
async function identify(ctx: { readonly auth: Authenticator; readonly store: ServingDeps["store"] }, auth: Exclude<RouteAuth, false>, req: IncomingMessage): Promise<Caller> {
  const header = req.headers.authorization;
  if (auth === true && header !== undefined && header.trim() !== "") return { kind: "key", key: await ctx.auth.authenticate(header) };
  const token = sessionTokenOf(req);
  if (token === undefined) {
    if (auth === true) return { kind: "key", key: await ctx.auth.authenticate(header) };
    throw new ServingError("UNAUTHORIZED", "this endpoint is for people signed in to the dashboard: sign in first (POST /api/v1/auth/login)");
  }
  const session = await ctx.store.findSession(token);
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
 * its body), path parameters, query, body (size cap, one JSON parse, schema), handler, response.
 */
async function dispatch(
  ctx: { readonly auth: Authenticator; readonly limiter: ApiKeyLimiter; readonly options: ServingOptions; readonly store: ServingDeps["store"] },
  route: Route,
  call: { readonly req: IncomingMessage; readonly res: ServerResponse; readonly params: Record<string, string>; readonly queryString: string },
): Promise<void> {
  const { spec } = route;
  const { req, res } = call;
  let caller: Caller | undefined;
  if (spec.auth) {
    caller = await identify(ctx, spec.auth, req);
    authorize(spec, caller, call.params);
    if (!spec.body?.cost) await takeRate(ctx.limiter, caller, 1);
  }
  checkParams(Object.entries(call.params));
  if (call.queryString) checkParams(new URLSearchParams(call.queryString));
  const params = spec.params ? parseParams(spec.params, call.params) : {};
  const query = spec.query ? parseQuery(spec.query, call.queryString) : undefined;
  let body: unknown;
  if (spec.body) {
    // Routes anyone may call with a body are signing in and first-start setup: a cross-site page
    // must not be able to sign a browser in (login CSRF).
    if (spec.auth === false && !originAllowed(req)) throw new ServingError("FORBIDDEN", "cross-site request refused: the Origin header names another site", [{ field: "origin", message: "must be this site" }]);
    requireJson(req, spec.auth === false);
    const raw = await readBody(req, spec.body.limit === "batch" ? ctx.options.maxBatchBodyBytes : ctx.options.maxBodyBytes);
    const parsed = parseJson(raw, ctx.options);
    checkStrings(parsed);
    body = parseWith(spec.body.schema, parsed, "body");
    if (caller && spec.body.cost) await takeRate(ctx.limiter, caller, spec.body.cost(body));
  }
  const reply = await route.handle({ req, res, params, caller, query, body } as Call);
  if (typeof reply.body === "string") {
    res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(reply.body), "cache-control": "no-store", ...reply.headers });
    res.end(reply.body);
  } else sendJson(res, reply.status, reply.body, reply.headers);
}

/** The routes in the table's order; refuses a table route without a handler or a handler for a route not in the table. */
function servedInTableOrder(handlers: readonly Route[]): Route[] {
  const byId = new Map<string, Route>();
  for (const r of handlers) {
    if ((table as Record<string, unknown>)[r.spec.operationId] !== r.spec) throw new Error(`route ${r.spec.operationId} is not the table's (lib/api/routes): bind handlers with implement(routes.<operationId>, ...)`);
    if (byId.has(r.spec.operationId)) throw new Error(`route ${r.spec.operationId} has two handlers`);
    byId.set(r.spec.operationId, r);
  }
  const missing = Object.keys(table).filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`routes of the table without a handler: ${missing.join(", ")}`);
  return Object.keys(table).map((id) => byId.get(id)!);
}

export function createServingApi(deps: ServingDeps): ServingApi {
  const options = parseServingOptions(deps.options);
  const now = deps.now ?? Date.now;
  // With a change feed, caches are dropped when something changes; their time limits only cover a lost message.
  const fed = deps.changes !== undefined;
  const authTtlMs = options.authCacheTtlMs ?? (fed ? FED_CACHE_TTL_MS : 5_000);
  const programTtlMs = options.programCacheTtlMs ?? (fed ? FED_CACHE_TTL_MS : 1_000);
  const auth = createAuthenticator(deps.store, { ttlMs: authTtlMs, size: options.authCacheSize, now, ...(deps.apiKeyUsage && { usage: deps.apiKeyUsage }) });
  const programs = createProgramLookup(deps.store, deps.registry, deps.resolver, { ttlMs: programTtlMs, now });
  deps.changes?.subscribe((change) => {
    if (change.kind === "key") auth.forget(change.id);
    if ((change.kind === "promotion" || change.kind === "version") && change.program !== undefined) programs.invalidate(change.program);
  });
  const env = { deps, timeoutMs: options.runTimeoutMs, batchConcurrency: options.batchConcurrency, limits: options };

  let document: OpenApiDocument | undefined;
  const openapi = (): OpenApiDocument => (document ??= buildOpenApi(Object.values(table), dspexVersion()));
  const routes: Route[] = [
    ...predictRoutes(env, programs),
    ...traceSearchRoutes(deps.store),
    ...scoresRoutes({ store: deps.store, lmFor: deps.lmFor }),
    ...runsRoutes(deps.store),
    ...datasetRoutes({ store: deps.store, registry: deps.registry }),
    ...costRoutes({ store: deps.store, now, ...(deps.refreshBudgets && { onBudgetsChanged: deps.refreshBudgets }), ...(deps.flushEvents && { flushEvents: deps.flushEvents }) }),
    ...programsRoutes({ store: deps.store, registry: deps.registry, resolver: deps.resolver, invalidate: (name) => programs.invalidate(name), now, protectProduction: options.protectProduction }),
    ...metricsRoutes(deps.store, deps.supervisor, now),
    ...alertsRoutes({ store: deps.store, now }),
    ...supervisionRoutes(deps.store, deps.supervisor),
    ...agentsRoutes({ store: deps.store, ...(deps.agentJobs && { jobs: deps.agentJobs }) }),
    ...agentSystemsRoutes(deps.agentSystems),
    ...marketplaceRoutes(deps.marketplace),
    ...optimizationRoutes(optimizationEnv(deps, (name) => programs.invalidate(name))),
    ...experimentsRoutes({ store: deps.store, ...(deps.experimentJobs && { jobs: deps.experimentJobs }) }),
    ...healthRoutes(deps.store),
    ...authRoutes(deps.store, deps.limiter, deps.onSessionsEnded),
    ...settingsRoutes({ store: deps.store, forgetApiKey: (id) => auth.forget(id), ...(deps.onSessionsEnded && { onSessionsEnded: deps.onSessionsEnded }), ...(deps.secrets && { secrets: deps.secrets }), ...(deps.prices && { prices: deps.prices }), ...(deps.onPricesChanged && { onPricesChanged: deps.onPricesChanged }),
      ...(deps.bootstrapProvider && { bootstrapProvider: deps.bootstrapProvider }),
      ...(deps.onProvidersChanged && { onProvidersChanged: deps.onProvidersChanged }),
    }),
    openapiRoute(openapi),
  ];
  const router = createRouter(servedInTableOrder(routes));
  const ctx = { auth, limiter: deps.limiter, options, store: deps.store };

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
      const busy = ALWAYS_ANSWERED.has(match.route.spec.operationId) ? undefined : deps.overload?.retryAfterMs();
      if (busy !== undefined) {
        sendError(res, new ServingError("OVERLOADED", `the server is too busy to take this request (its event loop is running late); retry in ${Math.ceil(busy / 1000)} s`, undefined, retryAfterHeader(busy)));
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
