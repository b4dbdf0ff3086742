// The OpenAPI 3.1 document, generated from the route table and its zod schemas (z.toJSONSchema):
// every route with its parameters, body (with an example), success and error responses, and the
// bearer scheme. Named schemas become components; nested $defs are hoisted so every $ref resolves.
import { z } from "zod";
import { API_ERROR_STATUS, ApiErrorBodySchema, LMCallViewSchema, RunSummarySchema, SpanNodeSchema, TrialSchema, UsageSchema, VersionRefSchema, type ApiErrorCode } from "../../schemas";
import type { RouteSpec } from "../../api/routes";

type Json = { [key: string]: unknown };

export interface OpenApiDocument {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string; readonly description: string };
  readonly paths: Record<string, Record<string, Json>>;
  readonly components: { readonly schemas: Record<string, Json>; readonly securitySchemes: Record<string, Json> };
  readonly [key: string]: unknown;
}

const REF = "#/components/schemas/";

const CODE_DOCS: Record<ApiErrorCode, string> = {
  INVALID_JSON: "the body is not JSON (the message gives the position)",
  INVALID_REQUEST: "a path parameter, the query or the body does not fit the route's schema (one entry per field)",
  UNAUTHORIZED: "the API key is missing, malformed, unknown or revoked, or the session has ended",
  FORBIDDEN: "signed in, but not allowed: an administrator's action, or a change without the CSRF header",
  BUDGET_EXCEEDED: "a budget is spent (the message names its scope)",
  NOT_FOUND: "the program, version, run or optimization does not exist",
  METHOD_NOT_ALLOWED: "the path exists with another method (see Allow)",
  CONFLICT: "the request clashes with the current state",
  VERSION_INVALID: "the stored version no longer fits the program's code",
  PAYLOAD_TOO_LARGE: "the body, or a program input field, is over its size limit (the field is named)",
  UNSUPPORTED_MEDIA_TYPE: "the body is not sent as JSON (content-type: application/json)",
  INPUT_INVALID: "the input does not fit the program's signature (one entry per field)",
  RATE_LIMITED: "the API key's rate limit is reached (see Retry-After)",
  RUN_FAILED: "the program failed (the run is recorded as failed)",
  INTERNAL: "an unexpected failure",
  LM_ERROR: "the model provider failed",
  OUTPUT_PARSE: "the model's reply could not be parsed into the outputs",
  OUTPUT_INVALID: "the model's reply does not fit the output types",
  PROVIDER_UNAVAILABLE: "the model provider is rate-limited or unavailable (see Retry-After)",
  QUEUE_UNAVAILABLE: "the job queue refused the optimization",
  RUN_NOT_RECORDED: "the run could not be recorded",
  ABORTED: "the run was aborted",
  NOT_READY: "a readiness check fails (named in fields)",
  OVERLOADED: "the server is too busy to take the request now (see Retry-After)",
  TIMEOUT: "the run exceeded its time limit (it is recorded as failed)",
  LM_TIMEOUT: "the model provider did not answer in time",
};

const ERROR_HEADERS: Partial<Record<number, Json>> = {
  401: { "WWW-Authenticate": { description: "Bearer challenge", schema: { type: "string" } } },
  405: { Allow: { description: "The methods the path accepts", schema: { type: "string" } } },
  429: { "Retry-After": { description: "Seconds until the request would be allowed", schema: { type: "integer", minimum: 1 } } },
  503: { "Retry-After": { description: "Seconds to wait (provider unavailable)", schema: { type: "integer", minimum: 1 } } },
};

/** Statuses of a prediction that failed after its run started (the run is recorded as failed). */
const RUN_STATUSES = new Set([402, 500, 502, 503, 504]);
const RUN_HEADER: Json = { "X-Run-Id": { description: "The failed run, when one was recorded (read it at /api/v1/runs/{id})", schema: { type: "string" } } };

/** Shared output schemas that get their own component. */
const SHARED_OUTPUTS: Record<string, z.ZodType> = {
  ApiErrorBody: ApiErrorBodySchema,
  Usage: UsageSchema,
  VersionRef: VersionRefSchema,
  RunSummary: RunSummarySchema,
  LMCall: LMCallViewSchema,
  SpanNode: SpanNodeSchema,
  Trial: TrialSchema,
};

function override(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }): void {
  if (ctx.zodSchema._zod.def.type === "date") {
    ctx.jsonSchema.type = "string";
    ctx.jsonSchema.format = "date-time";
  }
}

function rewriteRefs(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, from, to));
  if (value === null || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === "$ref" && typeof v === "string" && v.startsWith(from) ? to + v.slice(from.length) : rewriteRefs(v, from, to);
  return out;
}

/** A generated schema as a component: no $schema/$id, its $defs moved to components as `<name>_<def>`. */
function addComponent(components: Record<string, Json>, name: string, generated: Json): void {
  const { $schema: _s, $id: _i, $defs, ...rest } = generated as Json & { $defs?: Record<string, Json> };
  const prefix = `${REF}${name}_`;
  components[name] = rewriteRefs(rest, "#/$defs/", prefix) as Json;
  for (const [def, schema] of Object.entries($defs ?? {})) components[`${name}_${def}`] = rewriteRefs(schema, "#/$defs/", prefix) as Json;
}

const SHARED = "__shared";

/**
 * Components for named schemas. Unnamed schemas used by several of them (zod's "__shared" $defs)
 * become components `Shared<Io>_<def>`, and references to them are rewritten to match.
 */
function generate(named: Map<string, z.ZodType>, io: "input" | "output", components: Record<string, Json>): void {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of named) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io, uri: (id) => REF + id, unrepresentable: "any", override }) as { schemas: Record<string, Json> };
  const sharedName = `Shared${io === "input" ? "Input" : "Output"}`;
  const fix = (value: unknown) => rewriteRefs(value, `${REF}${SHARED}#/$defs/`, `${REF}${sharedName}_`) as Json;
  for (const [id, schema] of Object.entries(schemas)) {
    if (id === SHARED) {
      const defs = ((schema as { $defs?: Record<string, Json> }).$defs ?? {}) as Record<string, Json>;
      for (const [def, s] of Object.entries(defs)) components[`${sharedName}_${def}`] = fix(rewriteRefs(s, "#/$defs/", `${REF}${sharedName}_`));
    } else addComponent(components, id, fix(schema));
  }
}

function name(map: Map<string, z.ZodType>, id: string, schema: z.ZodType): void {
  const had = map.get(id);
  if (had !== undefined && had !== schema) throw new Error(`openapi: two different schemas are named "${id}"`);
  map.set(id, schema);
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> {
  return ((schema as { shape?: Record<string, z.ZodType> }).shape ?? {}) as Record<string, z.ZodType>;
}

function parameters(spec: RouteSpec, components: Record<string, Json>): Json[] {
  const out: Json[] = [];
  const param = (where: "path" | "query", key: string, s: z.ZodType): Json => {
    const tmp: Record<string, Json> = {};
    addComponent(tmp, `${spec.operationId}_${key}`, z.toJSONSchema(s, { io: "input", unrepresentable: "any", override }) as Json);
    const { [`${spec.operationId}_${key}`]: schema, ...defs } = tmp;
    Object.assign(components, defs);
    return { name: key, in: where, required: where === "path" || !s.safeParse(undefined).success, schema, ...(s.description && { description: s.description }) };
  };
  for (const [key, s] of Object.entries(spec.params ? shapeOf(spec.params) : {})) out.push(param("path", key, s));
  for (const [key, s] of Object.entries(spec.query ? shapeOf(spec.query) : {})) out.push(param("query", key, s));
  return out;
}

function errorCodes(spec: RouteSpec): ApiErrorCode[] {
  const codes = new Set<ApiErrorCode>(spec.errors);
  if (spec.auth) ["UNAUTHORIZED", "RATE_LIMITED"].forEach((c) => codes.add(c as ApiErrorCode));
  if (spec.auth && spec.auth !== true) codes.add("FORBIDDEN");
  if (spec.body) ["INVALID_JSON", "INVALID_REQUEST", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"].forEach((c) => codes.add(c as ApiErrorCode));
  if (spec.query || spec.params) codes.add("INVALID_REQUEST");
  codes.add("METHOD_NOT_ALLOWED");
  codes.add("OVERLOADED");
  codes.add("INTERNAL");
  return [...codes];
}

function operation(spec: RouteSpec, components: Record<string, Json>): Json {
  const responses: Json = {
    [String(spec.success.status)]: {
      description: spec.success.description,
      content: { "application/json": { schema: { $ref: REF + spec.success.name } } },
      ...(spec.success.status === 201 && { headers: { Location: { description: "The URL of the created resource", schema: { type: "string" } } } }),
    },
  };
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const code of errorCodes(spec)) byStatus.set(API_ERROR_STATUS[code], [...(byStatus.get(API_ERROR_STATUS[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const ran = spec.runs && RUN_STATUSES.has(status);
    const headers = { ...ERROR_HEADERS[status], ...(ran && RUN_HEADER) };
    responses[String(status)] = {
      description: codes.map((c) => `${c}: ${CODE_DOCS[c]}`).join("; "),
      content: { "application/json": { schema: { $ref: `${REF}ApiErrorBody` } } },
      ...(Object.keys(headers).length > 0 && { headers }),
    };
  }
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description && { description: spec.description }),
    tags: [spec.tag],
    security: spec.auth === true ? [{ bearerAuth: [] }, { sessionCookie: [] }] : spec.auth ? [{ sessionCookie: [] }] : [],
    parameters: parameters(spec, components),
    ...(spec.body && {
      requestBody: { required: true, content: { "application/json": { schema: { $ref: REF + spec.body.name }, example: spec.body.example } } },
    }),
    responses,
  };
}

export function buildOpenApi(specs: readonly RouteSpec[], version: string): OpenApiDocument {
  const inputs = new Map<string, z.ZodType>();
  const outputs = new Map<string, z.ZodType>();
  for (const [id, schema] of Object.entries(SHARED_OUTPUTS)) name(outputs, id, schema);
  for (const spec of specs) {
    name(outputs, spec.success.name, spec.success.schema);
    if (spec.body) name(inputs, spec.body.name, spec.body.schema);
  }
  const schemas: Record<string, Json> = {};
  generate(outputs, "output", schemas);
  generate(inputs, "input", schemas);
  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of specs) (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation(spec, schemas);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "DSPEx serving API",
      version,
      description: "Run DSPEx programs, read their runs and traces, and launch optimizations. Every error body is `{ error: { code, message, fields? } }`.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(specs.map((s) => s.tag))].map((t) => ({ name: t })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key: Authorization: Bearer dspx_live_<id>_<secret>" },
        sessionCookie: { type: "apiKey", in: "cookie", name: "dspex_session", description: "A dashboard session (POST /api/v1/auth/login); changes also need the x-csrf-token header" },
      },
    },
  };
}
