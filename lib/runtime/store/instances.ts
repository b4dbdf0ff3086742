// The RuntimeInstance table (which server and worker processes are alive) and the runs they own:
// the queries behind lib/runtime/instances, which decides who is dead.
import type { PrismaClient } from "../../db";

export async function createInstance(prisma: PrismaClient, row: { readonly id: string; readonly kind: "server" | "worker"; readonly hostname: string; readonly pid: number }): Promise<void> {
  await prisma.runtimeInstance.create({ data: row });
}

export async function markInstance(prisma: PrismaClient, id: string, change: { readonly heartbeatAt: Date } | { readonly stoppedAt: Date }): Promise<void> {
  await prisma.runtimeInstance.update({ where: { id }, data: change });
}

/** The instances (null: none recorded) that own running runs, other than `selfId`. */
export async function runningRunOwners(prisma: PrismaClient, selfId: string): Promise<(string | null)[]> {
  const owners = await prisma.run.groupBy({ by: ["instanceId"], where: { status: "running", OR: [{ instanceId: null }, { instanceId: { not: selfId } }] } });
  return owners.map((o) => o.instanceId);
}

export function instanceBeats(prisma: PrismaClient, ids: readonly string[]): Promise<{ id: string; heartbeatAt: Date; stoppedAt: Date | null }[]> {
  return prisma.runtimeInstance.findMany({ where: { id: { in: [...ids] } }, select: { id: true, heartbeatAt: true, stoppedAt: true } });
}

/** Ends the running runs of these instances (or, with `unownedBefore`, those of no instance started before it) as errors. */
export async function failRunningRuns(prisma: PrismaClient, owners: { readonly instanceIds: readonly string[] } | { readonly unownedBefore: Date }, error: string, now: Date): Promise<number> {
  const where = "instanceIds" in owners ? { status: "running" as const, instanceId: { in: [...owners.instanceIds] } } : { status: "running" as const, instanceId: null, startedAt: { lt: owners.unownedBefore } };
  const { count } = await prisma.run.updateMany({ where, data: { status: "error", error, endedAt: now } });
  return count;
}

/** Ids of the instances other than `selfId` not stopped and heard from since `since`. */
export async function recentInstanceIds(prisma: PrismaClient, selfId: string, since: Date): Promise<string[]> {
  const rows = await prisma.runtimeInstance.findMany({ where: { id: { not: selfId }, stoppedAt: null, heartbeatAt: { gte: since } }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function deleteInstancesSilentSince(prisma: PrismaClient, cutoff: Date): Promise<number> {
  const { count } = await prisma.runtimeInstance.deleteMany({ where: { heartbeatAt: { lt: cutoff } } });
  return count;
}
