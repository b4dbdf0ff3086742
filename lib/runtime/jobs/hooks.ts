// Runs a definition's optional hooks (cancelled, failed) with its parsed payload; a throwing hook
// is logged and never breaks the queue.
import type { Logger } from "../../log";
import { parsePayload, type JobCancelledInfo, type JobFailedInfo, type JobRegistry } from "./define-job";

export async function runCancelledHook(registry: JobRegistry, log: Logger, job: { kind: string; payload: unknown }, info: JobCancelledInfo): Promise<void> {
  const definition = registry.get(job.kind);
  if (!definition?.cancelled) return;
  try {
    await definition.cancelled(parsePayload(definition, job.payload), info);
  } catch (err) {
    log.error({ err, jobId: info.jobId, kind: job.kind }, `the cancelled hook of job kind "${job.kind}" failed`);
  }
}

export async function runFailedHook(registry: JobRegistry, log: Logger, job: { kind: string; payload: unknown }, info: JobFailedInfo): Promise<void> {
  const definition = registry.get(job.kind);
  if (!definition?.failed) return;
  try {
    await definition.failed(parsePayload(definition, job.payload), info);
  } catch (err) {
    log.error({ err, jobId: info.jobId, kind: job.kind }, `the failed hook of job kind "${job.kind}" failed`);
  }
}
