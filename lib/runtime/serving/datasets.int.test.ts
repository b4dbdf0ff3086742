import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { DatasetPageSchema, DatasetSchema, DatasetVersionPageSchema, DatasetVersionSchema, ExamplePageSchema, ImportDatasetResponseSchema } from "../../schemas";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { bodyOf, callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const row = (q: string, a: string, split?: string) => JSON.stringify({ inputs: { question: q }, outputs: { answer: a }, ...(split && { split }) });
const GOOD = [row("1+1?", "2"), row("2+2?", "4"), row("3+3?", "6"), row("4+4?", "8", "test"), "", row("5+5?", "10")].join("\n");

describe.each(BACKENDS)("the datasets API on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let server: TestServer;
  let key: string;
  const get = (path: string) => callApi(server.url, "GET", path, { key });
  const post = (path: string, body: unknown) => callApi(server.url, "POST", path, { key, body });

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma });
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "datasets" })).key;
  });
  afterAll(() => server?.close());

  it("imports a JSONL file as a new dataset, then lists it, its versions and its examples (paged, by split)", async () => {
    const created = bodyOf(await post("/api/v1/datasets/import", { name: "math", description: "sums", format: "jsonl", content: GOOD }), ImportDatasetResponseSchema, 201);
    expect(created.dataset).toMatchObject({ name: "math", description: "sums", versionCount: 1, latestVersion: { number: 1, exampleCount: 5 } });
    expect(created.version).toMatchObject({ number: 1, exampleCount: 5, splits: { train: 4, validation: 0, test: 1 }, message: "imported JSONL: 5 examples" });

    const list = bodyOf(await get("/api/v1/datasets"), DatasetPageSchema);
    expect(list.items.map((d) => d.name)).toContain("math");
    expect(bodyOf(await get("/api/v1/datasets?search=MAT"), DatasetPageSchema).items.map((d) => d.name)).toEqual(["math"]);
    expect(bodyOf(await get("/api/v1/datasets/math"), DatasetSchema).latestVersion?.id).toBe(created.version.id);

    const base = `/api/v1/datasets/math/versions/${created.version.id}`;
    const page2 = bodyOf(await get(`${base}/examples?limit=2&page=2`), ExamplePageSchema);
    expect(page2).toMatchObject({ total: 5, page: 2, limit: 2 });
    expect(page2.items.map((e) => e.inputs.question)).toEqual(["3+3?", "4+4?"]);
    const test = bodyOf(await get(`${base}/examples?split=test`), ExamplePageSchema);
    expect(test.items).toMatchObject([{ split: "test", outputs: { answer: "8" } }]);
    expect(bodyOf(await get(base), DatasetVersionSchema).splits).toEqual({ train: 4, validation: 0, test: 1 });

    // A second import adds version 2 to the same dataset.
    const again = bodyOf(await post("/api/v1/datasets/import", { name: "math", format: "jsonl", content: row("6+6?", "12") }), ImportDatasetResponseSchema, 201);
    expect(again.version.number).toBe(2);
    const versions = bodyOf(await get("/api/v1/datasets/math/versions"), DatasetVersionPageSchema);
    expect(versions.items.map((v) => v.number)).toEqual([2, 1]);
  });

  it("re-splits a version reproducibly into a new version with its counts per split", async () => {
    const v1 = bodyOf(await get("/api/v1/datasets/math/versions?limit=1&page=2"), DatasetVersionPageSchema).items[0]!;
    const split = (body: unknown) => post(`/api/v1/datasets/math/versions/${v1.id}/split`, body);
    const a = bodyOf(await split({ validationFraction: 0.2, testFraction: 0.2, seed: 7 }), DatasetVersionSchema, 201);
    expect(a).toMatchObject({ number: 3, parentId: v1.id, exampleCount: 5, splits: { train: 3, validation: 1, test: 1 } });
    const b = bodyOf(await split({ validationFraction: 0.2, testFraction: 0.2, seed: 7 }), DatasetVersionSchema, 201);
    const splitsOf = async (id: string) => bodyOf(await get(`/api/v1/datasets/math/versions/${id}/examples`), ExamplePageSchema).items.map((e) => e.split);
    expect(await splitsOf(b.id)).toEqual(await splitsOf(a.id));

    const bad = errorOf(await split({ validationFraction: 0.6, testFraction: 0.5 }), 400, "INVALID_REQUEST");
    expect(bad.fields?.map((f) => f.field)).toEqual(["validationFraction"]);
    errorOf(await split({ validationFraction: "lots" }), 400, "INVALID_REQUEST");
  });

  it("refuses a file with bad rows, naming each row and field, and imports nothing", async () => {
    const content = [row("ok?", "yes"), "{not json", row("split?", "no", "holdout"), JSON.stringify({ inputs: "q" }), row("fine", "1")].join("\n");
    const error = errorOf(await post("/api/v1/datasets/import", { name: "broken", format: "jsonl", content }), 400, "INVALID_REQUEST");
    expect(error.message).toMatch(/3 errors; nothing was imported/);
    expect(error.fields).toEqual([
      { field: "rows.2", message: expect.stringMatching(/is not valid JSON/) },
      { field: "rows.3.split", message: 'must be train, validation or test; received "holdout"' },
      { field: "rows.4.inputs", message: "must be an object of field values" },
    ]);
    errorOf(await get("/api/v1/datasets/broken"), 404, "NOT_FOUND");
  });

  it("imports CSV with a column mapping, and checks rows against a program's signature", async () => {
    const csv = "Question,Context,Answer,Notes\nWhat?,DSPEx is a platform,a platform,x\n";
    const mapping = { Question: "input.question", Context: "input.context", Answer: "output.answer", Notes: "ignore" };
    const ok = bodyOf(await post("/api/v1/datasets/import", { name: "qa-csv", format: "csv", content: csv, mapping, programName: "qa" }), ImportDatasetResponseSchema, 201);
    const examples = bodyOf(await get(`/api/v1/datasets/qa-csv/versions/${ok.version.id}/examples`), ExamplePageSchema);
    expect(examples.items[0]).toMatchObject({ inputs: { question: "What?", context: "DSPEx is a platform" }, outputs: { answer: "a platform" } });

    const missing = errorOf(await post("/api/v1/datasets/import", { name: "qa-csv", format: "csv", content: "input.question\nWhy?\n", programName: "qa" }), 400, "INVALID_REQUEST");
    expect(missing.fields?.[0]?.field).toBe("rows.1.input.context");
    const unknownProgram = errorOf(await post("/api/v1/datasets/import", { name: "qa-csv", format: "csv", content: csv, programName: "nope" }), 404, "NOT_FOUND");
    expect(unknownProgram.message).toMatch(/nope/);
  });

  it("400 names bad fields of the request; 413 past the size cap; 404 for a version of another dataset", async () => {
    const bad = errorOf(await post("/api/v1/datasets/import", { name: "Bad Name", format: "xml", content: "" }), 400, "INVALID_REQUEST");
    expect(bad.fields?.map((f) => f.field).sort()).toEqual(["format", "name"]);
    errorOf(await post("/api/v1/datasets/import", { name: "big", format: "jsonl", content: "x".repeat(5_000_001) }), 413, "PAYLOAD_TOO_LARGE");
    const other = bodyOf(await get("/api/v1/datasets/qa-csv"), DatasetSchema).latestVersion!.id;
    errorOf(await get(`/api/v1/datasets/math/versions/${other}/examples`), 404, "NOT_FOUND");
    errorOf(await get("/api/v1/datasets/nope/versions"), 404, "NOT_FOUND");
    expect((await callApi(server.url, "GET", "/api/v1/datasets")).status).toBe(401);
  });
});
