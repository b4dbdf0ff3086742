// One code path, two ways to run: BullMQ when a Redis URL is configured, the embedded queue otherwise.
import { createBullJobQueue } from "./bullmq-queue";
import { createEmbeddedJobQueue } from "./embedded-queue";
import type { BullQueueOptions, EmbeddedQueueOptions } from "./options";
import type { JobQueue } from "./types";

export type JobQueueOptions = EmbeddedQueueOptions | BullQueueOptions;

/** `redisUrl` present: the BullMQ backend; absent: the embedded one. Same interface, same Job table. */
export function createJobQueue(options: JobQueueOptions): JobQueue {
  return "redisUrl" in options && options.redisUrl !== undefined ? createBullJobQueue(options) : createEmbeddedJobQueue(options as EmbeddedQueueOptions);
}
