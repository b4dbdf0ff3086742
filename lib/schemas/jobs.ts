// Background jobs as the dashboard and the API see them: the list query and enqueue options.
import { z } from "zod";
import { PageQuerySchema } from "./pagination";

export const JOB_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;
export const JobStatusSchema = z.enum(JOB_STATUSES);
export type JobStatus = z.infer<typeof JobStatusSchema>;

/** Higher runs first; the default is 0. */
export const JOB_PRIORITY_MIN = -1000;
export const JOB_PRIORITY_MAX = 1000;

export const EnqueueJobOptionsSchema = z.strictObject({
  /** Higher runs first (-1000..1000, default 0); equal priorities run in order of runAt, then creation. */
  priority: z.number().int("must be a whole number").min(JOB_PRIORITY_MIN, `must be at least ${JOB_PRIORITY_MIN}`).max(JOB_PRIORITY_MAX, `must be at most ${JOB_PRIORITY_MAX}`).default(0),
  /** Run no earlier than this many milliseconds from now (default 0). */
  delayMs: z.number().int("must be a whole number").nonnegative("must be 0 or more").default(0),
  /** Overrides the kind's maxAttempts for this job. */
  maxAttempts: z.number().int("must be a whole number").min(1, "must be at least 1").max(100, "must be at most 100").optional(),
});
export type EnqueueJobOptions = z.input<typeof EnqueueJobOptionsSchema>;

/** Which jobs a list shows (both optional); the page comes apart, as a PageQuery. */
export const JobListFiltersSchema = z.strictObject({
  kind: z.string().trim().min(1, "must not be empty").max(64).optional(),
  status: JobStatusSchema.optional(),
});
export type JobListFilters = z.input<typeof JobListFiltersSchema>;

/** Filters and page in one object, for a route's search params. */
export const JobListQuerySchema = PageQuerySchema.extend(JobListFiltersSchema.shape);
export type JobListQuery = z.input<typeof JobListQuerySchema>;
