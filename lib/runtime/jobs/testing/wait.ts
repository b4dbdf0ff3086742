// Polling helpers for queue tests (real databases, real time).
import type { JobQueue, JobView } from "../index";

/** Polls `read` every `everyMs` until `test` holds; rejects after `timeoutMs` naming `what` and the last value. */
export async function waitUntil<T>(read: () => Promise<T>, test: (value: T) => boolean, what: string, timeoutMs = 30_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (test(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The job once its status is one of `statuses`. */
export function waitForJob(queue: Pick<JobQueue, "get">, id: string, statuses: readonly JobView["status"][], timeoutMs = 30_000): Promise<JobView> {
  return waitUntil(() => queue.get(id), (j) => statuses.includes(j.status), `job ${id} to be ${statuses.join(" or ")}`, timeoutMs);
}
