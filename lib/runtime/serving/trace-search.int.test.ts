import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "../../db";
import { BACKENDS } from "../../db/testing";
import { AddRunToDatasetResponseSchema, ExamplePageSchema, PredictResponseSchema, RunSearchPageSchema, SavedViewListSchema, SavedViewSchema } from "../../schemas";
import { createEventPipeline, EventBus } from "../events";
import { createApiKey, RUN_SEARCH_VECTOR, toPrefixQuery } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

describe("toPrefixQuery", () => {
  it("makes every word a required prefix and drops tsquery syntax", () => {
    expect(toPrefixQuery("Refund  order-42")).toBe("refund:* & order:* & 42:*");
    expect(toPrefixQuery("a & !b | (c)")).toBe("a:* & b:* & c:*");
    expect(toPrefixQuery("  ':*  ")).toBeUndefined();
  });
});

describe.each(BACKENDS)("trace search and trace-to-dataset on $backend", ({ backend, fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let server: TestServer;
  let key: string;
  const runs: Record<string, string> = {};
  const get = (path: string) => callApi(server.url, "GET", path, { key });
  const post = (path: string, body: unknown) => callApi(server.url, "POST", path, { key, body });
  const ids = async (query: string) => bodyOf(await get(`/api/v1/runs/search?${query}`), RunSearchPageSchema).items.map((r) => r.id);

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { name: "search", scopes: ["predict", "read", "manage"] })).key;
    const predict = async (input: unknown, labels: Record<string, unknown> = {}) => bodyOf(await post("/api/v1/programs/classify/predict", { input, ...labels }), PredictResponseSchema).runId;
    runs.refund = await predict({ ticket: "I want a refund for order 4411" }, { tags: ["billing", "vip"], userId: "user-1", sessionId: "chat-1" });
    runs.crash = await predict({ ticket: "The app crashes when I open settings" }, { tags: ["billing"], userId: "user-2" });
    runs.login = await predict({ ticket: "Cannot log in since Tuesday" }, { sessionId: "chat-1" });
    runs.broken = (await post("/api/v1/programs/broken/predict", { input: { question: "why?" } })).headers.get("x-run-id")!;
  });
  afterAll(() => server?.close());

  it("finds runs by words of their input, output and error, as prefixes, not by field names", async () => {
    expect(await ids("q=refund")).toEqual([runs.refund]);
    expect(await ids("q=REFUN")).toEqual([runs.refund]);
    expect(await ids("q=crashes%20settings")).toEqual([runs.crash]);
    expect(await ids("q=refund%20settings")).toEqual([]);
    expect(await ids("q=4411")).toEqual([runs.refund]);
    expect(await ids("q=exploded")).toEqual([runs.broken]);
    expect(await ids("q=ticket")).toEqual([]);
    // The output is searched too: whatever the program answered for the refund ticket finds it.
    const page = bodyOf(await get(`/api/v1/runs/search?q=refund`), RunSearchPageSchema);
    const answer = Object.values(JSON.parse(page.items[0]!.outputPreview!) as Record<string, unknown>).find((v) => typeof v === "string") as string;
    expect(await ids(`q=${encodeURIComponent(answer)}&userId=user-1`)).toEqual([runs.refund]);
  });

  it("filters by tags (all of them), user and session, and lists labels and input/output previews", async () => {
    expect(await ids("tags=billing")).toEqual([runs.crash, runs.refund]);
    expect(await ids("tags=billing,vip")).toEqual([runs.refund]);
    expect(await ids("userId=user-2")).toEqual([runs.crash]);
    expect(await ids("sessionId=chat-1")).toEqual([runs.login, runs.refund]);
    expect(await ids("sessionId=chat-1&q=log")).toEqual([runs.login]);
    expect(await ids("status=error")).toEqual([runs.broken]);
    expect(await ids("programName=classify&limit=2&page=2")).toEqual([runs.refund]);
    const page = bodyOf(await get("/api/v1/runs/search?tags=vip"), RunSearchPageSchema);
    expect(page).toMatchObject({ total: 1, page: 1, limit: 50 });
    expect(page.items[0]).toMatchObject({ tags: ["billing", "vip"], userId: "user-1", sessionId: "chat-1", program: { name: "classify" }, status: "ok" });
    expect(JSON.parse(page.items[0]!.inputPreview!)).toEqual({ ticket: "I want a refund for order 4411" });
  });

  it("400 names bad labels and bad search parameters", async () => {
    const bad = errorOf(await post("/api/v1/programs/classify/predict", { input: { ticket: "x" }, tags: ["has space"], userId: "" }), 400, "INVALID_REQUEST");
    expect(bad.fields?.map((f) => f.field)).toEqual(["tags.0", "userId"]);
    expect(errorOf(await get("/api/v1/runs/search?status=lost"), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["status"]);
    errorOf(await callApi(server.url, "GET", "/api/v1/runs/search?q=x"), 401, "UNAUTHORIZED");
  });

  it("saves, lists, replaces and deletes views", async () => {
    const saved = bodyOf(await post("/api/v1/views", { name: "vip refunds", query: { q: "refund", tags: ["vip"] } }), SavedViewSchema);
    const replaced = bodyOf(await post("/api/v1/views", { name: "vip refunds", query: { status: "error" } }), SavedViewSchema);
    expect(replaced.id).toBe(saved.id);
    expect(bodyOf(await get("/api/v1/views"), SavedViewListSchema).items).toEqual([expect.objectContaining({ name: "vip refunds", query: { status: "error" } })]);
    await post(`/api/v1/views/${saved.id}/delete`, {});
    expect(bodyOf(await get("/api/v1/views"), SavedViewListSchema).items).toEqual([]);
    errorOf(await post(`/api/v1/views/${saved.id}/delete`, {}), 404, "NOT_FOUND");
    expect(errorOf(await post("/api/v1/views", { name: "", query: {} }), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["name"]);
  });

  it("adds a run to a dataset with its output as the expected answer, each time as a new version holding the earlier examples", async () => {
    const trace = (await t.prisma.run.findUniqueOrThrow({ where: { id: runs.refund } })) as { output: Record<string, unknown> };
    const first = bodyOf(await post(`/api/v1/runs/${runs.refund}/add-to-dataset`, { datasetName: "from-traces" }), AddRunToDatasetResponseSchema, 201);
    expect(first).toMatchObject({ datasetName: "from-traces", versionNumber: 1, exampleCount: 1, createdDataset: true, example: { inputs: { ticket: "I want a refund for order 4411" }, outputs: trace.output, split: "train" } });
    const second = bodyOf(
      await post(`/api/v1/runs/${runs.crash}/add-to-dataset`, { datasetName: "from-traces", split: "validation", outputs: { category: "bug" } }),
      AddRunToDatasetResponseSchema,
      201,
    );
    expect(second).toMatchObject({ versionNumber: 2, exampleCount: 2, createdDataset: false });
    const examples = bodyOf(await get(`/api/v1/datasets/from-traces/versions/${second.versionId}/examples`), ExamplePageSchema);
    expect(examples.items.map((e) => [e.split, e.outputs])).toEqual([
      ["train", trace.output],
      ["validation", { category: "bug" }],
    ]);
    const v1 = bodyOf(await get(`/api/v1/datasets/from-traces/versions/${first.versionId}/examples`), ExamplePageSchema);
    expect(v1.total).toBe(1);
  });

  it("refuses a run without output unless the expected outputs are given, and an unknown run", async () => {
    const refused = errorOf(await post(`/api/v1/runs/${runs.broken}/add-to-dataset`, { datasetName: "from-traces" }), 400, "INVALID_REQUEST");
    expect(refused.fields).toEqual([{ field: "outputs", message: expect.stringContaining("has no output") }]);
    errorOf(await post(`/api/v1/runs/nope/add-to-dataset`, { datasetName: "from-traces" }), 404, "NOT_FOUND");
    const given = bodyOf(await post(`/api/v1/runs/${runs.broken}/add-to-dataset`, { datasetName: "from-traces", outputs: { answer: "because" } }), AddRunToDatasetResponseSchema, 201);
    expect(given.exampleCount).toBe(3);
  });

  it("records labels through the runtime's event writer too", async () => {
    const bus = new EventBus();
    const pipeline = createEventPipeline({ db: t.db, log: pino({ level: "silent" }), bus, otel: false, writer: { flushIntervalMs: 20 } });
    try {
      const tracer = pipeline.tracer({ source: "script", input: { text: "zanzibar weather" }, tags: ["etl"], userId: "u-9", sessionId: "s-9" });
      await tracer.finish({ status: "ok", output: { summary: "sunny" } }, { durable: true });
      expect(await ids("q=zanzibar%20sunny")).toEqual([tracer.runId]);
      expect(await t.prisma.run.findUniqueOrThrow({ where: { id: tracer.runId } })).toMatchObject({ tags: ["etl"], userId: "u-9", sessionId: "s-9" });
    } finally {
      await pipeline.stop();
    }
  });

  it.runIf(backend === "postgres")("answers text searches from the GIN index", async () => {
    const plan = await t.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN SELECT r."id" FROM "Run" r WHERE ${RUN_SEARCH_VECTOR} @@ to_tsquery('simple'::regconfig, 'refund:*')`);
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("Run_search_idx");
  });
});
