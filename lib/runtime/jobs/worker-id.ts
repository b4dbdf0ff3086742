// Who holds a job: `host:pid:instance`. A job held by a process of this machine that no longer
// exists is known to be orphaned at once; others are judged by their heartbeats.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

function parseWorkerId(id: string): { host: string; pid: number } | undefined {
  const parts = id.split(":");
  if (parts.length < 3) return undefined;
  const pid = Number(parts[parts.length - 2]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { host: parts.slice(0, -2).join(":"), pid };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** True when `id` names a process of this machine (not this one) that has exited. */
export function isDeadLocalWorker(id: string): boolean {
  const w = parseWorkerId(id);
  return w !== undefined && w.host === hostname() && w.pid !== process.pid && !isAlive(w.pid);
}
