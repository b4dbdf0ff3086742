// Alerts: what the runtime raises (a budget threshold crossed, error rate or latency above a limit,
// a breaker open, an optimization failed), the settings that say when and where they are sent, and
// the wire shapes the serving API, the store and the dashboard share.
import { z } from "zod";
import { pageSchema, PageQuerySchema } from "./pagination";

export const AlertKindSchema = z.enum(["budget", "error-rate", "latency", "breaker", "optimization-failed"]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const AlertSeveritySchema = z.enum(["warning", "critical"]);
export type AlertSeverity = z.infer<typeof AlertSeveritySchema>;

export const AlertDeliverySchema = z.enum(["none", "pending", "delivered", "failed"]);
export type AlertDelivery = z.infer<typeof AlertDeliverySchema>;

export const AlertSchema = z.object({
  id: z.string(),
  kind: AlertKindSchema,
  severity: AlertSeveritySchema,
  title: z.string(),
  message: z.string(),
  /** The numbers behind it: the budget and its spend, the error rate and its window, the breaker's provider. */
  details: z.record(z.string(), z.unknown()),
  firedAt: z.iso.datetime(),
  /** When the condition stopped holding (breaker closed, error rate back under its limit). */
  resolvedAt: z.iso.datetime().nullable(),
  acknowledgedAt: z.iso.datetime().nullable(),
  acknowledgedById: z.string().nullable(),
  delivery: AlertDeliverySchema,
  deliveryAttempts: z.number().int().nonnegative(),
  deliveryError: z.string().nullable(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const AlertListQuerySchema = PageQuerySchema.extend({
  /** open: not acknowledged yet; all: every alert. Default all. */
  status: z.enum(["open", "all"], { message: 'must be "open" or "all"' }).default("all"),
});
export type AlertListQuery = z.input<typeof AlertListQuerySchema>;

export const AlertPageSchema = pageSchema(AlertSchema).extend({
  /** Alerts nobody acknowledged yet (the dashboard's badge). */
  unacknowledged: z.number().int().nonnegative(),
});
export type AlertPage = z.infer<typeof AlertPageSchema>;

const percent = (what: string) => z.number({ message: `must be a ${what} percentage` }).finite().gt(0, "must be more than 0").max(100, "must be at most 100");

/** When alerts are raised and where they are sent. Stored once for the installation. */
export const AlertSettingsSchema = z.strictObject({
  /** Receives every alert as Slack-compatible JSON ({ text, attachments }); null: shown in the app only. */
  webhookUrl: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL, e.g. https://hooks.slack.com/services/..." })
    .max(2000, "must be at most 2000 characters")
    .nullable()
    .default(null),
  /** Percentages of a budget's limit that raise an alert, once per budget window each. */
  budgetThresholdsPercent: z
    .array(z.int("must be a whole percentage").min(1, "must be at least 1").max(100, "must be at most 100"), { message: "must be a list of percentages" })
    .max(5, "at most 5 thresholds")
    .default([50, 80, 100]),
  /** An alert when more than this share of the runs in the window failed; null: never. */
  errorRatePercent: percent("failed-runs").nullable().default(10),
  /** An alert when the runs' p95 latency in the window is above this; null: never. */
  latencyP95Ms: z.int("must be a whole number of milliseconds").min(1, "must be at least 1").max(3_600_000, "must be at most an hour").nullable().default(null),
  /** The window the error rate and latency are measured over. */
  windowMinutes: z.int("must be a whole number of minutes").min(1, "must be at least 1").max(1440, "must be at most 1440").default(5),
  /** Fewer runs than this in the window raise no error-rate or latency alert (a single failure is not a rate). */
  minRuns: z.int("must be a whole number").min(1, "must be at least 1").max(1_000_000).default(10),
});
export type AlertSettings = z.output<typeof AlertSettingsSchema>;
export type AlertSettingsInput = z.input<typeof AlertSettingsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = AlertSettingsSchema.parse({});

export const AcknowledgeAlertBodySchema = z.strictObject({});

export const AlertWebhookTestSchema = z.object({
  delivered: z.boolean(),
  attempts: z.number().int().nonnegative(),
  error: z.string().nullable(),
});
export type AlertWebhookTest = z.infer<typeof AlertWebhookTestSchema>;
