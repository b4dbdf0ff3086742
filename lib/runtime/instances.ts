// Which server and worker processes are alive, and what happens to the runs of one that died.
// Each process registers a RuntimeInstance and beats every few seconds. A run is stamped with the
// instance that started it; when that instance's process is gone (same machine: at once; another
// machine: its heartbeat is stale) the run ends as an explicit failure, so every accepted request
// is completed or failed, never "running" forever.
import { hostname } from "node:os";
import type { Database } from "../db";
import type { Logger } from "../log";
import { isDeadLocalWorker, newWorkerId } from "./jobs/worker-id";
import { createInstance, deleteInstancesSilentSince, failRunningRuns, instanceBeats, markInstance, recentInstanceIds, runningRunOwners } from "./store";

export const HEARTBEAT_MS = 5_000;
/** An instance silent this long is dead (four missed beats). */
export const STALE_AFTER_MS = 20_000;
/** Runs of no known instance (written before instances existed) count as interrupted after this long. */
const UNOWNED_STALE_MS = 3_600_000;
const INTERRUPTED = "interrupted: the server stopped before this run's end was recorded (a reply may have been sent in its last 100 ms)";

export interface InstanceRegistration {
  readonly id: string;
  beat(): Promise<void>;
  /** Marks the instance stopped (a clean shutdown). */
  stop(): Promise<void>;
}

export async function registerInstance(db: Database, kind: "server" | "worker", id: string = newWorkerId()): Promise<InstanceRegistration> {
  await createInstance(db.prisma, { id, kind, hostname: hostname(), pid: process.pid });
  return {
    id,
    async beat() {
      await markInstance(db.prisma, id, { heartbeatAt: new Date() });
    },
    async stop() {
      await markInstance(db.prisma, id, { stoppedAt: new Date() });
    },
  };
}

/**
 * Fails the running runs of instances that are gone. On the embedded database one process owns
 * everything, so every run not of `selfId` is interrupted. Returns how many runs were failed.
 */
export async function failRunsOfDeadInstances(db: Database, selfId: string, log: Logger, now = new Date()): Promise<number> {
  const owners = await runningRunOwners(db.prisma, selfId);
  if (owners.length === 0) return 0;
  const dead: string[] = [];
  let unowned = false;
  if (db.backend === "pglite") {
    for (const o of owners) {
      if (o === null) unowned = true;
      else dead.push(o);
    }
  } else {
    const ids = owners.flatMap((o) => (o === null ? [] : [o]));
    unowned = owners.some((o) => o === null);
    const rows = await instanceBeats(db.prisma, ids);
    const known = new Map(rows.map((r) => [r.id, r]));
    for (const id of ids) {
      const row = known.get(id);
      const silent = !row || row.stoppedAt !== null || now.getTime() - row.heartbeatAt.getTime() > STALE_AFTER_MS;
      if (silent || isDeadLocalWorker(id)) dead.push(id);
    }
  }
  let count = 0;
  if (dead.length > 0) count += await failRunningRuns(db.prisma, { instanceIds: dead }, INTERRUPTED, now);
  if (unowned) {
    const cutoff = db.backend === "pglite" ? now : new Date(now.getTime() - UNOWNED_STALE_MS);
    count += await failRunningRuns(db.prisma, { unownedBefore: cutoff }, INTERRUPTED, now);
  }
  if (count > 0) log.warn({ runs: count, instances: dead }, "runs of a stopped or crashed server marked as failed");
  return count;
}

/** Whether another process (not `selfId`) is alive on this database: never on the embedded one. */
export async function otherLiveInstances(db: Database, selfId: string, now = new Date()): Promise<boolean> {
  if (db.backend === "pglite") return false;
  const recent = await recentInstanceIds(db.prisma, selfId, new Date(now.getTime() - STALE_AFTER_MS));
  return recent.some((id) => !isDeadLocalWorker(id));
}

/** Instances that stopped or went silent long ago are forgotten (their runs are failed first). */
export async function forgetOldInstances(db: Database, olderThanMs = 7 * 86_400_000, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - olderThanMs);
  return deleteInstancesSilentSince(db.prisma, cutoff);
}
