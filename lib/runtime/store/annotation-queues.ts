// Annotation queues: runs waiting for a person's scores, handed out oldest first.
import type { PrismaClient } from "../../db";
import { AddQueueItemsBodySchema, CreateAnnotationQueueBodySchema, type AnnotationQueue, type CreateAnnotationQueueBody, type QueueNext } from "../../schemas/scores";
import { ConflictError, NotFoundError } from "./errors";
import { parseInput } from "./parse-input";
import { isUniqueViolation } from "./prisma-errors";

type QueueRow = { id: string; name: string; description: string; scoreNames: string[]; createdAt: Date };

async function withCounts(prisma: PrismaClient, rows: readonly QueueRow[]): Promise<AnnotationQueue[]> {
  if (rows.length === 0) return [];
  const counts = await prisma.annotationQueueItem.groupBy({ by: ["queueId", "status"], where: { queueId: { in: rows.map((r) => r.id) } }, _count: { _all: true } });
  const count = (id: string, status: string) => counts.find((c) => c.queueId === id && c.status === status)?._count._all ?? 0;
  return rows.map((r) => ({ ...r, pending: count(r.id, "pending"), done: count(r.id, "done"), createdAt: r.createdAt.toISOString() }));
}

/** Errors: INVALID, CONFLICT (name taken). */
export async function createAnnotationQueue(prisma: PrismaClient, input: CreateAnnotationQueueBody): Promise<AnnotationQueue> {
  const q = parseInput(CreateAnnotationQueueBodySchema, input, "annotation queue");
  try {
    const row = await prisma.annotationQueue.create({ data: { name: q.name, description: q.description, scoreNames: q.scoreNames } });
    return (await withCounts(prisma, [row]))[0]!;
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`an annotation queue named "${q.name}" already exists`, "name");
    throw err;
  }
}

export async function listAnnotationQueues(prisma: PrismaClient): Promise<AnnotationQueue[]> {
  return withCounts(prisma, await prisma.annotationQueue.findMany({ orderBy: { name: "asc" }, take: 200 }));
}

/** Queues runs (by run id or trace id); runs already in the queue stay as they are. Errors: NOT_FOUND (queue, a run). */
export async function addQueueItems(prisma: PrismaClient, queueId: string, input: { runIds: readonly string[] }): Promise<{ added: number; alreadyQueued: number }> {
  const q = parseInput(AddQueueItemsBodySchema, input, "queue items");
  const queue = await prisma.annotationQueue.findUnique({ where: { id: queueId }, select: { id: true } });
  if (!queue) throw new NotFoundError("annotation queue", queueId);
  const runs = await prisma.run.findMany({ where: { OR: [{ id: { in: q.runIds } }, { traceId: { in: q.runIds } }] }, select: { id: true, traceId: true } });
  const missing = q.runIds.find((id) => !runs.some((r) => r.id === id || r.traceId === id));
  if (missing) throw new NotFoundError("run", missing, "runIds");
  const { count } = await prisma.annotationQueueItem.createMany({ data: runs.map((r) => ({ queueId, runId: r.id })), skipDuplicates: true });
  return { added: count, alreadyQueued: runs.length - count };
}

/** The oldest pending run of a queue. Errors: NOT_FOUND (queue). */
export async function nextQueueItem(prisma: PrismaClient, queueId: string): Promise<QueueNext> {
  const row = await prisma.annotationQueue.findUnique({ where: { id: queueId } });
  if (!row) throw new NotFoundError("annotation queue", queueId);
  const [queue] = await withCounts(prisma, [row]);
  const item = await prisma.annotationQueueItem.findFirst({
    where: { queueId, status: "pending" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, runId: true, run: { select: { input: true, output: true, error: true, startedAt: true, program: { select: { name: true } } } } },
  });
  return {
    queue: queue!,
    item: item && { id: item.id, runId: item.runId, programName: item.run.program?.name ?? null, input: item.run.input, output: item.run.output, error: item.run.error, startedAt: item.run.startedAt.toISOString() },
  };
}

/** Marks an item reviewed. Errors: NOT_FOUND (item of that queue). */
export async function completeQueueItem(prisma: PrismaClient, queueId: string, itemId: string, userId: string | null): Promise<{ id: string; status: "done" }> {
  const { count } = await prisma.annotationQueueItem.updateMany({ where: { id: itemId, queueId }, data: { status: "done", completedById: userId, completedAt: new Date() } });
  if (count === 0) throw new NotFoundError("queue item", itemId, "itemId");
  return { id: itemId, status: "done" };
}
