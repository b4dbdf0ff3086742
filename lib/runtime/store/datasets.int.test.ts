import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineSignature, t as t2 } from "../../dspex";
import { BACKENDS } from "../../db/testing";
import {
  ConflictError,
  DatasetImportError,
  NotFoundError,
  assignSplits,
  createDataset,
  createDatasetVersion,
  getDataset,
  getDatasetVersion,
  importDatasetFile,
  listDatasetVersions,
  listDatasets,
  listExamples,
  loadDatasetSplits,
  splitDataset,
  type StoreError,
} from "./index";
import { useTestDatabase } from "./testing";

async function caught(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    return err as StoreError;
  }
  throw new Error("expected a rejection");
}

const examples = (n: number, split: "train" | "validation" | "test" = "train") =>
  Array.from({ length: n }, (_, i) => ({ inputs: { q: `question ${i}` }, outputs: { a: String(i) }, split }));

describe.each(BACKENDS)("datasets on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);

  it("creates datasets with unique names and numbered versions holding their examples in order", async () => {
    const ds = await createDataset(t.prisma, { name: "tickets", description: "support" });
    expect(ds).toMatchObject({ name: "tickets", latestVersion: null, versionCount: 0 });
    expect(await caught(createDataset(t.prisma, { name: "tickets" }))).toBeInstanceOf(ConflictError);
    expect(await caught(createDataset(t.prisma, { name: "Bad Name" }))).toMatchObject({ code: "INVALID", issues: [{ field: "name" }] });

    const v1 = await createDatasetVersion(t.prisma, { datasetName: "tickets", examples: [...examples(3), ...examples(2, "validation")], message: "first" });
    expect(v1).toMatchObject({ number: 1, parentId: null, exampleCount: 5, splits: { train: 3, validation: 2, test: 0 }, message: "first" });
    const v2 = await createDatasetVersion(t.prisma, { datasetName: "tickets", examples: examples(1) });
    expect(v2).toMatchObject({ number: 2, parentId: v1.id, exampleCount: 1 });
    expect(await getDatasetVersion(t.prisma, v1.id)).toMatchObject({ datasetName: "tickets", splits: { train: 3, validation: 2, test: 0 } });
    expect(await getDataset(t.prisma, "tickets")).toMatchObject({ latestVersion: { id: v2.id, number: 2, exampleCount: 1 }, versionCount: 2 });
    expect((await listDatasetVersions(t.prisma, { datasetName: "tickets" })).items.map((v) => v.number)).toEqual([2, 1]);
    expect((await listDatasets(t.prisma, { search: "tick" })).items.map((d) => d.name)).toEqual(["tickets"]);

    const bad = await caught(createDatasetVersion(t.prisma, { datasetName: "tickets", examples: [{ inputs: { q: 1 }, split: "holdout" as never }] }));
    expect(bad.issues.map((i) => i.field)).toEqual(["examples.0.split"]);
    expect(await caught(createDatasetVersion(t.prisma, { datasetName: "tickets", examples: [] }))).toMatchObject({ issues: [{ field: "examples" }] });
    expect(await caught(createDatasetVersion(t.prisma, { datasetName: "nope", examples: examples(1) }))).toBeInstanceOf(NotFoundError);
  });

  it("pages a version's examples by split, in order", async () => {
    await createDataset(t.prisma, { name: "paged" });
    const mixed = examples(7).map((e, i) => ({ ...e, split: i % 3 === 0 ? ("validation" as const) : ("train" as const) }));
    const v = await createDatasetVersion(t.prisma, { datasetName: "paged", examples: mixed });
    const page = await listExamples(t.prisma, { versionId: v.id, limit: 3, page: 2 });
    expect(page).toMatchObject({ total: 7, page: 2, limit: 3 });
    expect(page.items.map((e) => e.position)).toEqual([3, 4, 5]);
    const val = await listExamples(t.prisma, { versionId: v.id, split: "validation" });
    expect(val.items.map((e) => [e.position, e.inputs.q])).toEqual([
      [0, "question 0"],
      [3, "question 3"],
      [6, "question 6"],
    ]);
    const splits = await loadDatasetSplits(t.prisma, v.id);
    expect([splits.train.length, splits.validation.length, splits.test.length]).toEqual([4, 3, 0]);
    expect(splits.validation[1]).toMatchObject({ inputs: { q: "question 3" }, outputs: { a: "3" } });
    expect(await caught(listExamples(t.prisma, { versionId: "missing" }))).toBeInstanceOf(NotFoundError);
  });

  it("splits a version into a new version, reproducibly from the seed", async () => {
    await createDataset(t.prisma, { name: "to-split" });
    const v1 = await createDatasetVersion(t.prisma, { datasetName: "to-split", examples: examples(20) });
    const a = await splitDataset(t.prisma, v1.id, { validationFraction: 0.25, testFraction: 0.1, seed: 7 });
    expect(a).toMatchObject({ number: 2, parentId: v1.id, exampleCount: 20, splits: { train: 13, validation: 5, test: 2 } });
    expect(a.message).toMatch(/25% validation, 10% test, seed 7/);
    const b = await splitDataset(t.prisma, v1.id, { validationFraction: 0.25, testFraction: 0.1, seed: 7 });
    const splitsOf = async (id: string) => (await listExamples(t.prisma, { versionId: id, limit: 100 })).items.map((e) => `${e.inputs.q}:${e.split}`);
    expect(await splitsOf(b.id)).toEqual(await splitsOf(a.id));
    const c = await splitDataset(t.prisma, v1.id, { validationFraction: 0.25, testFraction: 0.1, seed: 8 });
    expect(await splitsOf(c.id)).not.toEqual(await splitsOf(a.id));
    // The source version is unchanged.
    expect((await getDatasetVersion(t.prisma, v1.id)).splits).toEqual({ train: 20, validation: 0, test: 0 });
    const tooMuch = await caught(splitDataset(t.prisma, v1.id, { validationFraction: 0.6, testFraction: 0.5 }));
    expect(tooMuch).toMatchObject({ code: "INVALID", issues: [{ field: "validationFraction", message: expect.stringMatching(/below 1/) }] });
    expect(await caught(splitDataset(t.prisma, v1.id, { validationFraction: -1, testFraction: 2 }))).toMatchObject({ issues: [{ field: "validationFraction" }, { field: "testFraction" }] });
    expect((await listDatasetVersions(t.prisma, { datasetName: "to-split" })).total).toBe(4);
  });

  it("imports a file as a version, all or nothing, checked against a signature", async () => {
    await createDataset(t.prisma, { name: "imported" });
    const signature = defineSignature({ instructions: "", inputs: { q: z.string() }, outputs: { n: t2.integer() } });
    const bad = await caught(importDatasetFile(t.prisma, { datasetName: "imported", text: "input.q,output.n\nfine,1\n,2\nok,three\n", options: { format: "csv" }, signature }));
    expect(bad).toBeInstanceOf(DatasetImportError);
    expect((bad as DatasetImportError).rows.map((r) => [r.line, r.field])).toEqual([
      [3, "input.q"],
      [4, "output.n"],
    ]);
    expect(bad.issues[0]!.message).toMatch(/^line 3: /);
    expect((await getDataset(t.prisma, "imported")).versionCount).toBe(0);

    const v = await importDatasetFile(t.prisma, {
      datasetName: "imported",
      text: '{"inputs": {"q": "a"}, "outputs": {"n": 1}}\n{"inputs": {"q": "b"}, "outputs": {"n": "2"}, "split": "test"}',
      options: { format: "jsonl" },
      signature,
    });
    expect(v).toMatchObject({ number: 1, exampleCount: 2, splits: { train: 1, validation: 0, test: 1 }, message: "imported JSONL: 2 examples" });
    expect((await listExamples(t.prisma, { versionId: v.id })).items.map((e) => e.outputs.n)).toEqual([1, 2]);
  });
});

describe("assignSplits", () => {
  it("gives a non-zero fraction at least one example but keeps one for training", () => {
    expect(assignSplits(3, 0.01, 0, 1).filter((s) => s === "validation")).toHaveLength(1);
    expect(assignSplits(1, 0.5, 0.3, 1)).toEqual(["train"]);
    expect(assignSplits(10, 0, 0, 1).every((s) => s === "train")).toBe(true);
  });
});
