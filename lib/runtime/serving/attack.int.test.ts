// The permanent attack suite: fast-check drives every operation of the OpenAPI document on a whole
// runtime (its real store, event writer, LM stack and budgets) over real HTTP, with hostile path
// segments, queries, headers and bodies (NUL, lone surrogates, percent-escapes that decode to
// nothing, huge and deeply nested JSON, wrong types, bodies over the size cap, other content
// types, other methods, no or wrong credentials). Every answer must come back (no stall), never be
// a 5xx, be the typed error body when it is an error, and name the field when it refuses input.
// Seeded and bounded: DSPEX_FUZZ_SEED and DSPEX_FUZZ_RUNS (cases per operation) replay or widen it.
import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../config";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import { createLogger } from "../../log";
import { API_ERROR_STATUS, ApiErrorBodySchema, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "../../schemas";
import { startRuntime, type Runtime } from "../runtime";
import { servingDeps } from "../serving-deps";
import { createApiKey, createSession, createUser } from "../store";
import { createServingApi, type OpenApiDocument } from "./index";
import { callApi, createMemoryJobs, startTestServer, type TestServer } from "./testing";

const SEED = Number(process.env.DSPEX_FUZZ_SEED ?? 1207);
/** Cases per operation: fewer on the embedded database, whose every query crosses to a worker thread (same PostgreSQL semantics). */
const RUNS: Record<string, number> = process.env.DSPEX_FUZZ_RUNS ? { pglite: Number(process.env.DSPEX_FUZZ_RUNS), postgres: Number(process.env.DSPEX_FUZZ_RUNS) } : { pglite: 8, postgres: 24 };
/** An answer slower than this is a stall (a request that never comes back fails here, not at the test's timeout). */
const STALL_MS = 20_000;
const MAX_BODY_BYTES = 64 * 1024;
const MAX_JSON_DEPTH = 64;
const SLOW = 300_000;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly operationId: string;
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  /** The documented example body, when the operation takes one. */
  readonly example?: unknown;
  readonly hasBody: boolean;
}

interface Attack {
  readonly method: string;
  readonly path: string;
  readonly auth: "key" | "session" | "none" | "wrong";
  readonly contentType?: string;
  readonly body?: string | Buffer;
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const o = op as { operationId: string; parameters?: { name: string; in: string }[]; requestBody?: { content: { "application/json": { example?: unknown } } } };
      out.push({
        method: method.toUpperCase(),
        path,
        operationId: o.operationId,
        pathParams: (o.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
        queryParams: (o.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
        hasBody: o.requestBody !== undefined,
        ...(o.requestBody && { example: o.requestBody.content["application/json"].example }),
      });
    }
  }
  return out;
}

// ---- hostile values -------------------------------------------------------------------------

const NASTY = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfff",
  "\udbff\udbff",
  "\u202eevil\u202c",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "${{7*7}}",
  "../../../../etc/passwd",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "0x10",
  "9".repeat(40),
  "",
  " ",
  "__proto__",
  "constructor",
  "😀".repeat(500),
  "x".repeat(5_000),
  "\r\n\t",
];

const hostileString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x", "😀", "\u0000", "ab"), fc.integer({ min: 1_000, max: 20_000 })).map(([s, n]) => s.repeat(n)) },
);

const hostileKey = fc.oneof(fc.constantFrom("__proto__", "constructor", "prototype", "toString", "\u0000", "\ud800", "a".repeat(300), ""), fc.string({ unit: "binary", maxLength: 12 }));

const { value: hostileJson } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, true, false, null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(hostileKey, tie("value"), { maxKeys: 4 }),
  ),
}));

/** Raw texts that are not JSON, or JSON that must be refused before it is parsed. */
const deep = (n: number, open = "[", close = "]") => `${open.repeat(n)}${close.repeat(n)}`;
const rawBody = fc.oneof(
  fc.constantFrom(
    "",
    "{",
    '{"a":',
    "[1,2,",
    "nul",
    '{"a":1}{"b":2}',
    '{"a":"\\u0000"}',
    '{"a":"\\ud800"}',
    '{"__proto__":{"admin":true}}',
    "1e99999",
    "\ufeff{}",
    deep(MAX_JSON_DEPTH + 1),
    deep(5_000),
    `{"input": ${deep(5_000, '{"a":', "}").replace(/\}+$/, "") + "1" + "}".repeat(5_000)}}`,
  ),
  fc.integer({ min: 65, max: 20_000 }).map((n) => deep(n, '{"a":[', "]}")),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  // Just over the body cap, as valid JSON: refused by size, not by content.
  fc.constant(JSON.stringify({ input: { context: "x".repeat(MAX_BODY_BYTES + 1_024) } })),
);

/** Sets one place in a JSON value (path of keys or indexes) to `v`, or deletes it when `v` is undefined. */
function setAt(root: unknown, path: readonly (string | number)[], v: unknown): unknown {
  if (path.length === 0) return v;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    const i = Number(head);
    if (rest.length === 0 && v === undefined) copy.splice(i, 1);
    else copy[i] = setAt(copy[i], rest, v);
    return copy;
  }
  if (root !== null && typeof root === "object") {
    const copy: Record<string, unknown> = { ...(root as Record<string, unknown>) };
    const k = String(head);
    if (rest.length === 0 && v === undefined) delete copy[k];
    else copy[k] = setAt(copy[k], rest, v);
    return copy;
  }
  return root;
}

function placesOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => placesOf(v, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) placesOf(v, [...at, k], out);
  return out;
}

/** The example with some of its places replaced by hostile values, dropped, or given an extra hostile key. */
function mutated(example: unknown): fc.Arbitrary<unknown> {
  const places = placesOf(example);
  const change = fc.tuple(fc.nat({ max: places.length - 1 }), fc.oneof({ weight: 4, arbitrary: hostileJson }, { weight: 1, arbitrary: fc.constant(undefined) }), fc.option(hostileKey, { nil: undefined }));
  return fc.array(change, { minLength: 1, maxLength: 3 }).map((changes) => {
    let v = example;
    for (const [i, replacement, extraKey] of changes) {
      const path = places[i]!;
      v = extraKey !== undefined && v !== null && typeof v === "object" && !Array.isArray(v) ? setAt(v, [extraKey], replacement ?? "x") : setAt(v, path, replacement);
    }
    return v;
  });
}

/** Percent-encodes a segment byte by byte; lone surrogates become the (invalid) UTF-8 of their code unit. */
function encodeSegment(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const isHigh = c >= 0xd800 && c <= 0xdbff;
    const next = s.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(s.slice(i, i + 2));
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += `%${(0xe0 | (c >> 12)).toString(16)}%${(0x80 | ((c >> 6) & 0x3f)).toString(16)}%${(0x80 | (c & 0x3f)).toString(16)}`;
    else out += encodeURIComponent(s[i]!);
  }
  return out;
}

function segment(known: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...known).map(encodeSegment) },
    { weight: 3, arbitrary: hostileString.filter((s) => s.length < 2_000).map(encodeSegment) },
    { weight: 1, arbitrary: fc.constantFrom("%00", "%", "%zz", "%E0%A4%A", "%ED%A0%80", "..", "%2e%2e", "%2F", "a%2Fb", "%20") },
  );
}

function attackOn(op: Operation, known: Readonly<Record<string, readonly string[]>>): fc.Arbitrary<Attack> {
  const params = fc.tuple(...op.pathParams.map((p) => segment(known[p] ?? known.any!)));
  const query = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...(op.queryParams.length > 0 ? op.queryParams : ["q"])), fc.constantFrom("page", "limit", "x", "__proto__", "")), fc.oneof(hostileString.filter((s) => s.length < 2_000), fc.constantFrom("1", "0", "-5", "1000000", "abc", "true", "2020-13-45"))),
    { maxLength: 4 },
  );
  const body: fc.Arbitrary<string | Buffer | undefined> = op.hasBody
    ? fc.oneof(
        { weight: 5, arbitrary: mutated(op.example).map((v) => JSON.stringify(v) ?? "null") },
        { weight: 2, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? "null") },
        { weight: 2, arbitrary: rawBody },
        { weight: 1, arbitrary: fc.constant(JSON.stringify(op.example)) },
      )
    : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? "null") });
  const method = fc.oneof({ weight: 12, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND") });
  const contentType = fc.oneof(
    { weight: 10, arbitrary: fc.constant("application/json") },
    { weight: 1, arbitrary: fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/json;;;", "*/*") },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const auth = fc.oneof({ weight: 6, arbitrary: fc.constant("key" as const) }, { weight: 6, arbitrary: fc.constant("session" as const) }, { weight: 1, arbitrary: fc.constantFrom("none" as const, "wrong" as const) });
  return fc.record({ params, query, body, method, contentType, auth }).map(({ params, query, body, method, contentType, auth }) => {
    let i = 0;
    const path = op.path.replace(/\{[^}]+\}/g, () => params[i++]!);
    const qs = query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join("&");
    return { method, path: qs ? `${path}?${qs}` : path, auth, ...(body !== undefined && { body, ...(contentType !== undefined && { contentType }) }) };
  });
}

/** One request on a fresh connection, with no client-side rules on methods or bodies. Rejects when no answer comes within STALL_MS. */
function send(base: string, attack: Attack, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = typeof attack.body === "string" ? Buffer.from(attack.body) : attack.body;
    const req = request(`${base}${attack.path}`, {
      method: attack.method,
      agent: false,
      headers: { ...headers, ...(attack.contentType !== undefined && { "content-type": attack.contentType }), ...(payload !== undefined && { "content-length": payload.length }) },
      timeout: STALL_MS,
    });
    req.on("timeout", () => {
      req.destroy();
      reject(new Error(`stalled: no answer in ${STALL_MS} ms to ${attack.method} ${attack.path.slice(0, 200)}`));
    });
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.end(payload);
  });
}

/** Codes that refuse input: their body must name at least one field (a field may be named "" when that is the name that was sent). */
const NAMES_A_FIELD = new Set(["INVALID_REQUEST", "INVALID_JSON", "INPUT_INVALID", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE"]);

function check(attack: Attack, answer: Answer): void {
  const what = `${attack.method} ${attack.path.slice(0, 300)} (${attack.auth}) -> ${answer.status} ${answer.text.slice(0, 500)}`;
  if (answer.status >= 500 || answer.status < 100) throw new Error(`server error: ${what}`);
  if (answer.status < 400 || !answer.contentType.startsWith("application/json")) return;
  const parsed = ApiErrorBodySchema.strict().safeParse(JSON.parse(answer.text));
  if (!parsed.success) throw new Error(`not the typed error body: ${what}`);
  const { code, fields } = parsed.data.error;
  if (API_ERROR_STATUS[code] !== answer.status) throw new Error(`code ${code} with status ${answer.status}: ${what}`);
  if (NAMES_A_FIELD.has(code) && !(fields && fields.length > 0 && fields.every((f) => f.message.length > 0))) throw new Error(`refusal names no field: ${what}`);
}

describe.each(BACKENDS)("every operation of the OpenAPI document under attack on $backend", ({ backend, fresh }) => {
  let t: TestDatabase;
  let runtime: Runtime;
  let server: TestServer;
  let key: string;
  let adminId: string;
  let operations: Operation[] = [];
  const known: Record<string, string[]> = {};
  const counts = { cases: 0, byStatus: new Map<number, number>() };

  beforeAll(async () => {
    t = await fresh();
    const config = loadConfig({
      DSPEX_DATA_DIR: t.config.dataDir,
      ...(t.config.url ? { DATABASE_URL: t.config.url } : {}),
      DSPEX_DEMO_LATENCY_MS: "0",
      DSPEX_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      DSPEX_MAX_JSON_DEPTH: String(MAX_JSON_DEPTH),
      DSPEX_API_RATE_LIMIT: "100000000",
      LOG_LEVEL: "silent",
    });
    runtime = await startRuntime(config, createLogger("silent", false));
    // Optimizations are queued (and validated) but not run: hundreds of them would only load the machine.
    server = await startTestServer(createServingApi(servingDeps(runtime, createMemoryJobs())));
    const prisma = runtime.db.prisma;
    key = (await createApiKey(prisma, { name: "attacker with every scope", scopes: ["predict", "read", "optimize", "manage"], rateLimitPerMinute: 1_000_000 })).key;
    adminId = (await createUser(prisma, { name: "Ada Admin", email: "ada@example.com", password: "a long enough password", role: "admin" })).id;
    const doc = (await callApi(server.url, "GET", "/api/v1/openapi.json")).json as OpenApiDocument;
    operations = operationsOf(doc);
    // Real names and ids beside the hostile ones, so that cases also reach the code behind the lookups.
    const predicted = await callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key, body: { input: { context: "DSPEx is a platform.", question: "What is DSPEx?" } } });
    const runId = (predicted.json as { runId: string }).runId;
    const programs = await prisma.program.findMany({ select: { name: true, activeVersionId: true } });
    known.name = programs.map((p) => p.name);
    known.versionId = programs.flatMap((p) => (p.activeVersionId ? [p.activeVersionId] : []));
    known.id = [runId];
    known.runId = [runId];
    known.any = [runId, "qa", "1"];
  }, SLOW);

  afterAll(async () => {
    await server?.close();
    await runtime?.stop();
    await t?.destroy();
    console.log(`attack suite on ${backend}: ${counts.cases} requests over ${operations.length} operations; statuses ${[...counts.byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(" ")}`);
  }, SLOW);

  it("covers every operation of the document", () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(operations.length);
  });

  it(
    "answers every hostile request, never with a 5xx, with the typed error body naming the field",
    async () => {
      let n = 0;
      for (const op of operations) {
        await fc.assert(
          fc.asyncProperty(attackOn(op, known), async (attack) => {
            const headers: Record<string, string> = {};
            if (attack.auth === "key") headers.authorization = `Bearer ${key}`;
            if (attack.auth === "wrong") headers.authorization = "Bearer dspx_live_0000_not-a-key";
            if (attack.auth === "session") {
              // A session of its own per case: a case that signs out ends only that one.
              const session = await createSession(runtime.db.prisma, adminId);
              headers.cookie = `${SESSION_COOKIE}=${encodeURIComponent(session.token)}; ${CSRF_COOKIE}=${session.csrfToken}`;
              headers[CSRF_HEADER] = session.csrfToken;
            }
            const answer = await send(server.url, attack, headers);
            counts.cases++;
            counts.byStatus.set(answer.status, (counts.byStatus.get(answer.status) ?? 0) + 1);
            check(attack, answer);
          }),
          { seed: SEED + n++, numRuns: RUNS[backend]!, endOnFailure: true },
        );
      }
      // Still serving afterwards.
      expect((await callApi(server.url, "GET", "/api/v1/health")).status).toBe(200);
    },
    SLOW * 2,
  );
});
