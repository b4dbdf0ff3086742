// A run copied into a dataset: its input as the example's inputs, its output (or the answer a
// person gives) as the expected outputs. Datasets are versioned, so this writes a new version that
// holds the latest version's examples plus this one; the dataset is created when it is missing.
import type { PrismaClient } from "../../db";
import { AddRunToDatasetBodySchema, type AddRunToDatasetBody, type AddRunToDatasetResponse } from "../../schemas/trace-search";
import { InvalidInputError, NotFoundError } from "./errors";
import { toJson } from "./json";
import { parseInput } from "./parse-input";
import { retryOnUniqueViolation } from "./prisma-errors";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Errors: NOT_FOUND (run), INVALID (body; a run without an object input, or without output and no `outputs`). */
export async function addRunToDataset(prisma: PrismaClient, runId: string, input: AddRunToDatasetBody): Promise<AddRunToDatasetResponse> {
  const body = parseInput(AddRunToDatasetBodySchema, input, "add to dataset");
  const run = await prisma.run.findFirst({ where: { OR: [{ id: runId }, { traceId: runId }] }, select: { id: true, input: true, output: true } });
  if (!run) throw new NotFoundError("run", runId);
  if (!isRecord(run.input)) throw new InvalidInputError("add to dataset", [{ field: "runId", message: `run ${run.id} has no input object to use as the example's inputs` }]);
  const outputs = body.outputs ?? (isRecord(run.output) ? run.output : undefined);
  if (!outputs) throw new InvalidInputError("add to dataset", [{ field: "outputs", message: `run ${run.id} has no output; give the expected outputs` }]);
  const example = { inputs: run.input, outputs, split: body.split };

  return retryOnUniqueViolation(() =>
    prisma.$transaction(
      async (tx) => {
        let createdDataset = false;
        let dataset = await tx.dataset.findUnique({ where: { name: body.datasetName }, select: { id: true } });
        if (!dataset) {
          dataset = await tx.dataset.create({ data: { name: body.datasetName, description: "" }, select: { id: true } });
          createdDataset = true;
        }
        const latest = await tx.datasetVersion.findFirst({ where: { datasetId: dataset.id }, orderBy: { number: "desc" }, select: { id: true, number: true, exampleCount: true } });
        const count = (latest?.exampleCount ?? 0) + 1;
        const version = await tx.datasetVersion.create({
          data: { datasetId: dataset.id, number: (latest?.number ?? 0) + 1, parentId: latest?.id ?? null, message: `added from run ${run.id}`, exampleCount: count },
          select: { id: true, number: true },
        });
        if (latest) {
          await tx.$executeRaw`INSERT INTO "Example" ("id", "datasetVersionId", "position", "split", "inputs", "outputs")
            SELECT gen_random_uuid()::text, ${version.id}, e."position", e."split", e."inputs", e."outputs" FROM "Example" e WHERE e."datasetVersionId" = ${latest.id}`;
        }
        const last = latest ? await tx.example.aggregate({ where: { datasetVersionId: latest.id }, _max: { position: true } }) : undefined;
        const position = (last?._max.position ?? -1) + 1;
        await tx.example.create({ data: { datasetVersionId: version.id, position, split: example.split, inputs: toJson(example.inputs), outputs: toJson(example.outputs) } });
        await tx.dataset.update({ where: { id: dataset.id }, data: { updatedAt: new Date() } });
        return { datasetName: body.datasetName, versionId: version.id, versionNumber: version.number, exampleCount: count, example, createdDataset };
      },
      { timeout: 60_000, maxWait: 10_000 },
    ),
  );
}
