import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { openDatabase } from "../../db";
import { BACKENDS } from "../../db/testing";
import { OPTIMIZER_NAMES } from "../../dspex";
import {
  CreateOptimizationBodySchema,
  HealthSchema,
  OPTIMIZER_NAME_VALUES,
  OpenApiDocumentSchema,
  PredictBatchBodySchema,
  PredictBatchResponseSchema,
  PredictBodySchema,
  PredictResponseSchema,
  ReadinessSchema,
} from "../../schemas";
import { createApiKey, createStore } from "../store";
import { useTestDatabase } from "../store/testing";
import { createServingApi, parseServingOptions } from "./index";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

type Json = Record<string, unknown>;

/** Every operation the API serves: method and path. */
const OPERATIONS = [
  "post /api/v1/programs/{name}/predict",
  "post /api/v1/programs/{name}/predict/batch",
  "get /api/v1/runs",
  "get /api/v1/runs/{id}",
  "post /api/v1/optimizations",
  "get /api/v1/optimizations/{id}",
  "post /api/v1/optimizations/{id}/stop",
  "post /api/v1/optimizations/{id}/resume",
  "get /api/v1/optimizations/{id}/trials",
  "get /api/v1/health",
  "get /api/v1/ready",
  "get /api/v1/openapi.json",
];

/** The zod schema each request body is validated with, and what a server answers to its example. */
const BODIES: Record<string, { schema: z.ZodType; status: number; response?: z.ZodType }> = {
  "post /api/v1/programs/{name}/predict": { schema: PredictBodySchema, status: 200, response: PredictResponseSchema },
  "post /api/v1/programs/{name}/predict/batch": { schema: PredictBatchBodySchema, status: 200, response: PredictBatchResponseSchema },
  "post /api/v1/optimizations": { schema: CreateOptimizationBodySchema, status: 201 },
};

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

describe.each(BACKENDS)("health, readiness and the OpenAPI document on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let server: TestServer;
  let key: string;

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "docs" })).key;
  });
  afterAll(() => server?.close());

  it("health and readiness answer without a key", async () => {
    expect(bodyOf(await callApi(server.url, "GET", "/api/v1/health"), HealthSchema)).toEqual({ status: "ok" });
    expect(bodyOf(await callApi(server.url, "GET", "/api/v1/ready"), ReadinessSchema)).toEqual({ status: "ready", checks: { database: { ok: true } } });
  });

  it("readiness is 503 NOT_READY naming the database when it does not answer", async () => {
    const other = await fresh();
    const db = await openDatabase(other.config);
    const api = createServingApi({ ...s.deps, store: createStore(db.prisma) });
    const down = await startTestServer(api);
    try {
      await db.close();
      const error = errorOf(await callApi(down.url, "GET", "/api/v1/ready"), 503, "NOT_READY");
      expect(error.message).toMatch(/^not ready: the database does not answer/);
      expect(error.fields?.map((f) => f.field)).toEqual(["database"]);
      expect(bodyOf(await callApi(down.url, "GET", "/api/v1/health"), HealthSchema)).toEqual({ status: "ok" });
    } finally {
      await down.close();
      await other.destroy();
    }
  });

  it("serves an OpenAPI 3.1 document with every route, bearer auth where a key is needed, and typed error responses", async () => {
    const doc = bodyOf(await callApi(server.url, "GET", "/api/v1/openapi.json"), OpenApiDocumentSchema);
    expect(doc).toEqual(JSON.parse(JSON.stringify(s.api.openapi())));
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    // Every route is documented (the document is built from the route table), these among them.
    expect(ops).toEqual(expect.arrayContaining([...OPERATIONS]));
    expect(doc.components).toMatchObject({ securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" }, sessionCookie: { type: "apiKey", in: "cookie" } } });

    const open = ["/api/v1/health", "/api/v1/ready", "/api/v1/openapi.json", "/api/v1/auth/session", "/api/v1/auth/setup", "/api/v1/auth/login"];
    for (const op of OPERATIONS) {
      const [method, path] = op.split(" ") as [string, string];
      const operation = doc.paths[path]![method] as Json & { responses: Record<string, Json>; security: unknown[]; parameters: Json[] };
      expect(operation.security, op).toEqual(open.includes(path) ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }]);
      const statuses = Object.keys(operation.responses);
      if (!open.includes(path)) expect(statuses, op).toEqual(expect.arrayContaining(["401", "429"]));
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) expect(response, `${op} ${status}`).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/ApiErrorBody" } } } });
      }
      for (const name of path.match(/\{(\w+)\}/g) ?? []) expect(operation.parameters, op).toContainEqual(expect.objectContaining({ name: name.slice(1, -1), in: "path", required: true }));
    }
    const predict = doc.paths["/api/v1/programs/{name}/predict"]!.post as { responses: Json };
    expect(Object.keys(predict.responses).sort()).toEqual(["200", "400", "401", "402", "404", "405", "409", "413", "415", "422", "429", "500", "502", "503", "504"]);
    expect(predict.responses["429"]).toMatchObject({ headers: { "Retry-After": expect.any(Object) } });
    const runs = doc.paths["/api/v1/runs"]!.get as { parameters: Json[] };
    expect(runs.parameters.map((p) => p.name)).toEqual(["page", "limit", "programName", "versionId", "status", "source", "apiKeyId", "optimizationId", "from", "to"]);
    expect(runs.parameters.find((p) => p.name === "from")).toMatchObject({ in: "query", required: false, schema: { type: "string", format: "date-time" } });
  });

  it("resolves every $ref in the document", async () => {
    const doc = s.api.openapi();
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    const unresolved = [...new Set(refs)].filter((ref) => resolvePointer(doc, ref) === undefined);
    expect(unresolved).toEqual([]);
    // No schema carries its own $id/$schema or private $defs (which would resolve against the document root).
    for (const [name, schema] of Object.entries(doc.components.schemas)) expect(Object.keys(schema), name).not.toEqual(expect.arrayContaining(["$id"]));
    expect(JSON.stringify(doc)).not.toContain('"$defs"');
  });

  it("request examples validate against their schemas, and the live API accepts them", async () => {
    const doc = s.api.openapi();
    const withBodies = OPERATIONS.filter((op) => {
      const [method, path] = op.split(" ") as [string, string];
      return "requestBody" in (doc.paths[path]![method] as Json);
    });
    expect(withBodies.sort()).toEqual(Object.keys(BODIES).sort());
    for (const op of withBodies) {
      const [method, path] = op.split(" ") as [string, string];
      const example = (doc.paths[path]![method] as { requestBody: { content: { "application/json": { example: unknown } } } }).requestBody.content["application/json"].example;
      const { schema, status, response } = BODIES[op]!;
      expect(schema.safeParse(example).success, op).toBe(true);
      const reply = await callApi(server.url, method.toUpperCase(), path.replace("{name}", "qa"), { key, body: example });
      expect(reply.status, `${op}: ${reply.text}`).toBe(status);
      if (response) response.parse(reply.json);
    }
  });

  it("the optimizer names of the shared schema are the framework's", () => {
    expect([...OPTIMIZER_NAME_VALUES]).toEqual([...OPTIMIZER_NAMES]);
  });

  it("refuses options it does not know or that are out of range, naming them", () => {
    expect(parseServingOptions({})).toMatchObject({ maxBodyBytes: 1_048_576, runTimeoutMs: 60_000, batchConcurrency: 8 });
    expect(() => parseServingOptions({ runTimeoutMs: 0 })).toThrow(/option "runTimeoutMs" must be at least 1 ms/);
    expect(() => parseServingOptions({ timeout: 5 } as never)).toThrow(/option "timeout"/);
  });
});
