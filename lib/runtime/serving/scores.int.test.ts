import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { AddQueueItemsResponseSchema, AnnotationQueueListSchema, AnnotationQueueSchema, PredictResponseSchema, QueueItemDoneSchema, QueueNextSchema, ScoreListSchema, ScoreSchema } from "../../schemas";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

describe.each(BACKENDS)("scores and annotation queues on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let s: TestServing;
  let server: TestServer;
  let key: string;
  const runs: Record<string, string> = {};
  const output: Record<string, Record<string, unknown>> = {};
  const get = (path: string) => callApi(server.url, "GET", path, { key });
  const post = (path: string, body: unknown) => callApi(server.url, "POST", path, { key, body });

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { name: "scores", scopes: ["predict", "read", "manage"] })).key;
    for (const [name, ticket] of [
      ["refund", "I was charged twice, please refund me"],
      ["crash", "The app crashes when I open settings"],
    ] as const) {
      const res = bodyOf(await post("/api/v1/programs/classify/predict", { input: { ticket } }), PredictResponseSchema);
      runs[name] = res.runId;
      output[name] = res.output;
    }
    runs.broken = (await post("/api/v1/programs/broken/predict", { input: { question: "?" } })).headers.get("x-run-id")!;
  });
  afterAll(() => server?.close());

  it("records a person's thumbs, label and comment, and lists a run's scores oldest first", async () => {
    const up = bodyOf(await post(`/api/v1/runs/${runs.refund}/scores`, { name: "thumbs", value: 1 }), ScoreSchema, 201);
    expect(up).toMatchObject({ runId: runs.refund, name: "thumbs", source: "human", value: 1, label: null, comment: null });
    bodyOf(await post(`/api/v1/runs/${runs.refund}/scores`, { name: "queue", label: "billing", comment: "right queue" }), ScoreSchema, 201);
    const list = bodyOf(await get(`/api/v1/runs/${runs.refund}/scores`), ScoreListSchema).items;
    expect(list.map((x) => [x.name, x.value, x.label, x.comment])).toEqual([
      ["thumbs", 1, null, null],
      ["queue", null, "billing", "right queue"],
    ]);
    expect(bodyOf(await get(`/api/v1/runs/${runs.crash}/scores`), ScoreListSchema).items).toEqual([]);
  });

  it("400 names what a score lacks; 404 for an unknown run", async () => {
    expect(errorOf(await post(`/api/v1/runs/${runs.refund}/scores`, { name: "thumbs" }), 400, "INVALID_REQUEST").fields).toEqual([{ field: "value", message: "give a value, a label or a comment" }]);
    expect(errorOf(await post(`/api/v1/runs/${runs.refund}/scores`, { name: "has space", value: 1 }), 400, "INVALID_REQUEST").fields?.map((f) => f.field)).toEqual(["name"]);
    errorOf(await post("/api/v1/runs/nope/scores", { name: "thumbs", value: 0 }), 404, "NOT_FOUND");
  });

  it("scores with an LM judge against a reference: a matching output scores high, a wrong reference low, each with a reason", async () => {
    const right = bodyOf(await post(`/api/v1/runs/${runs.refund}/scores/judge`, { name: "correct", criteria: "The category is the right queue.", reference: output.refund }), ScoreSchema, 201);
    expect(right).toMatchObject({ source: "judge", name: "correct", details: { criteria: "The category is the right queue.", reference: output.refund } });
    expect(right.value).toBeGreaterThanOrEqual(0.9);
    expect(right.comment).toEqual(expect.any(String));
    const wrong = bodyOf(await post(`/api/v1/runs/${runs.refund}/scores/judge`, { name: "correct", criteria: "The category is the right queue.", reference: { category: "zzz-not-a-queue" } }), ScoreSchema, 201);
    expect(wrong.value).toBeLessThan(0.5);
    // A run without output has nothing to judge.
    errorOf(await post(`/api/v1/runs/${runs.broken}/scores/judge`, { criteria: "anything" }), 400, "INVALID_REQUEST");
  });

  it("scores with a metric against the expected outputs", async () => {
    const field = Object.keys(output.crash!)[0]!;
    const hit = bodyOf(await post(`/api/v1/runs/${runs.crash}/scores/metric`, { metric: "exact_match", expected: { [field]: output.crash![field] } }), ScoreSchema, 201);
    expect(hit).toMatchObject({ source: "metric", name: "exact_match", value: 1 });
    const miss = bodyOf(await post(`/api/v1/runs/${runs.crash}/scores/metric`, { metric: "exact_match", expected: { [field]: "something else" }, name: "em" }), ScoreSchema, 201);
    expect(miss).toMatchObject({ name: "em", value: 0 });
  });

  it("queues runs for review, hands them out oldest first, and marks them done", async () => {
    const queue = bodyOf(await post("/api/v1/annotation-queues", { name: "review", scoreNames: ["thumbs"] }), AnnotationQueueSchema, 201);
    errorOf(await post("/api/v1/annotation-queues", { name: "review" }), 409, "CONFLICT");
    expect(bodyOf(await post(`/api/v1/annotation-queues/${queue.id}/items`, { runIds: [runs.refund, runs.crash] }), AddQueueItemsResponseSchema)).toEqual({ added: 2, alreadyQueued: 0 });
    expect(bodyOf(await post(`/api/v1/annotation-queues/${queue.id}/items`, { runIds: [runs.crash] }), AddQueueItemsResponseSchema)).toEqual({ added: 0, alreadyQueued: 1 });
    errorOf(await post(`/api/v1/annotation-queues/${queue.id}/items`, { runIds: ["nope"] }), 404, "NOT_FOUND");
    const seen: string[] = [];
    for (;;) {
      const next = bodyOf(await get(`/api/v1/annotation-queues/${queue.id}/next`), QueueNextSchema);
      if (!next.item) {
        expect(next.queue).toMatchObject({ pending: 0, done: 2 });
        break;
      }
      seen.push(next.item.runId);
      expect(next.item.input).toHaveProperty("ticket");
      bodyOf(await post(`/api/v1/annotation-queues/${queue.id}/items/${next.item.id}/complete`, {}), QueueItemDoneSchema);
    }
    expect(new Set(seen)).toEqual(new Set([runs.refund, runs.crash]));
    expect(seen).toHaveLength(2);
    expect(bodyOf(await get("/api/v1/annotation-queues"), AnnotationQueueListSchema).items).toEqual([expect.objectContaining({ name: "review", pending: 0, done: 2 })]);
    errorOf(await post(`/api/v1/annotation-queues/${queue.id}/items/nope/complete`, {}), 404, "NOT_FOUND");
  });
});
