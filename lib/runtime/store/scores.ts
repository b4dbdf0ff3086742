// Scores on runs: what people, LM judges and metrics said about a run's output.
import type { PrismaClient } from "../../db";
import { CreateScoreBodySchema, type Score, type ScoreSource } from "../../schemas/scores";
import { NotFoundError } from "./errors";
import { toJson } from "./json";
import { parseInput } from "./parse-input";

const MAX_SCORES = 500;

type Row = { id: string; runId: string; name: string; source: ScoreSource; value: number | null; label: string | null; comment: string | null; authorId: string | null; details: unknown; createdAt: Date };

export function toScore(row: Row): Score {
  return { ...row, details: row.details ?? null, createdAt: row.createdAt.toISOString() };
}

/** The run's id from its run id or trace id. Errors: NOT_FOUND. */
export async function resolveRunId(prisma: PrismaClient, idOrTrace: string): Promise<string> {
  const run = await prisma.run.findFirst({ where: { OR: [{ id: idOrTrace }, { traceId: idOrTrace }] }, select: { id: true } });
  if (!run) throw new NotFoundError("run", idOrTrace);
  return run.id;
}

/** A run's scores, oldest first. Errors: NOT_FOUND (run). */
export async function listScores(prisma: PrismaClient, runIdOrTrace: string): Promise<Score[]> {
  const runId = await resolveRunId(prisma, runIdOrTrace);
  const rows = await prisma.score.findMany({ where: { runId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: MAX_SCORES });
  return rows.map(toScore);
}

export interface NewScore {
  readonly name: string;
  readonly source: ScoreSource;
  readonly value?: number | null;
  readonly label?: string | null;
  readonly comment?: string | null;
  readonly authorId?: string | null;
  readonly details?: unknown;
}

/** Records a score. Errors: NOT_FOUND (run), INVALID (a human score without value, label or comment). */
export async function addScore(prisma: PrismaClient, runIdOrTrace: string, score: NewScore): Promise<Score> {
  if (score.source === "human") parseInput(CreateScoreBodySchema, { name: score.name, ...(score.value != null && { value: score.value }), ...(score.label != null && { label: score.label }), ...(score.comment != null && { comment: score.comment }) }, "score");
  const runId = await resolveRunId(prisma, runIdOrTrace);
  const row = await prisma.score.create({
    data: {
      runId,
      name: score.name,
      source: score.source,
      value: score.value ?? null,
      label: score.label ?? null,
      comment: score.comment ?? null,
      authorId: score.authorId ?? null,
      ...(score.details !== undefined && { details: toJson(score.details) }),
    },
  });
  return toScore(row);
}

export interface ScoredRun {
  readonly id: string;
  readonly input: unknown;
  readonly output: unknown;
  readonly programId: string | null;
  readonly programName: string | null;
  readonly versionId: string | null;
  readonly apiKeyId: string | null;
}

/** What a judge or a metric reads of a run. Errors: NOT_FOUND. */
export async function runForScoring(prisma: PrismaClient, runIdOrTrace: string): Promise<ScoredRun> {
  const run = await prisma.run.findFirst({
    where: { OR: [{ id: runIdOrTrace }, { traceId: runIdOrTrace }] },
    select: { id: true, input: true, output: true, programId: true, programVersionId: true, apiKeyId: true, program: { select: { name: true } } },
  });
  if (!run) throw new NotFoundError("run", runIdOrTrace);
  return { id: run.id, input: run.input, output: run.output, programId: run.programId, programName: run.program?.name ?? null, versionId: run.programVersionId, apiKeyId: run.apiKeyId };
}
