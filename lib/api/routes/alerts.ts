import { z } from "zod";
import { AcknowledgeAlertBodySchema, AlertListQuerySchema, AlertPageSchema, AlertSchema, AlertSettingsSchema, AlertWebhookTestSchema, IdSchema } from "../../schemas";
import { route } from "./define";

const AlertIdParamsSchema = z.object({ id: IdSchema });

export const alertsRoutes = {
  listAlerts: route({
    method: "GET",
    path: "/api/v1/alerts",
    operationId: "listAlerts",
    summary: "Alerts, newest first",
    description:
      "Budgets that reached a threshold (50/80/100% by default, once per budget window), the runs' error rate or p95 latency above its limit, a provider's breaker open, an optimization that failed. `status=open` lists those nobody acknowledged; `unacknowledged` counts them.",
    tag: "alerts",
    auth: true,
    query: AlertListQuerySchema,
    success: { status: 200, name: "AlertPage", schema: AlertPageSchema, description: "One page of alerts and the number not acknowledged." },
    errors: [],
  }),
  acknowledgeAlert: route({
    method: "POST",
    path: "/api/v1/alerts/{id}/acknowledge",
    operationId: "acknowledgeAlert",
    summary: "Acknowledge an alert",
    description: "Marks the alert seen (it leaves the badge's count). Acknowledging twice keeps the first time.",
    tag: "alerts",
    auth: true,
    params: AlertIdParamsSchema,
    body: { name: "AcknowledgeAlertBody", schema: AcknowledgeAlertBodySchema, example: {}, limit: "single" },
    success: { status: 200, name: "Alert", schema: AlertSchema, description: "The alert, acknowledged." },
    errors: ["NOT_FOUND"],
  }),
  getAlertSettings: route({
    method: "GET",
    path: "/api/v1/alerts/settings",
    operationId: "getAlertSettings",
    summary: "When alerts are raised and where they are sent",
    description: "The webhook (a secret URL, so administrators only), the budget thresholds, the error-rate and latency limits and their window.",
    tag: "alerts",
    auth: "admin",
    success: { status: 200, name: "AlertSettings", schema: AlertSettingsSchema, description: "The settings (defaults where never set)." },
    errors: [],
  }),
  updateAlertSettings: route({
    method: "POST",
    path: "/api/v1/alerts/settings",
    operationId: "updateAlertSettings",
    summary: "Change when alerts are raised and where they are sent",
    description:
      "Replaces the settings; fields left out take their defaults. Every alert is POSTed to `webhookUrl` as Slack-compatible JSON (`{ text, attachments }`), 5 s per attempt, retried with backoff on timeouts, 429 and 5xx, in the background.",
    tag: "alerts",
    auth: "admin",
    body: {
      name: "AlertSettings",
      schema: AlertSettingsSchema,
      example: { webhookUrl: "https://hooks.slack.com/services/T000/B000/XXXX", budgetThresholdsPercent: [50, 80, 100], errorRatePercent: 10, latencyP95Ms: 10000, windowMinutes: 5, minRuns: 10 },
      limit: "single",
    },
    success: { status: 200, name: "AlertSettings", schema: AlertSettingsSchema, description: "The settings as saved." },
    errors: [],
  }),
  testAlertWebhook: route({
    method: "POST",
    path: "/api/v1/alerts/settings/test",
    operationId: "testAlertWebhook",
    summary: "Send a test message to the alert webhook",
    description: "POSTs a test alert to the saved webhook and says whether it arrived (one attempt, 5 s).",
    tag: "alerts",
    auth: "admin",
    body: { name: "TestAlertWebhookBody", schema: z.strictObject({}), example: {}, limit: "single" },
    success: { status: 200, name: "AlertWebhookTest", schema: AlertWebhookTestSchema, description: "Whether the webhook took the message." },
    errors: [],
  }),
  prometheusMetrics: route({
    method: "GET",
    path: "/api/v1/metrics",
    operationId: "prometheusMetrics",
    summary: "Prometheus metrics",
    description:
      "The numbers alerts are raised on, in the Prometheus text format (`text/plain; version=0.0.4`): runs, failures and p95 latency over the alert window, each budget's spend and limit, breakers, optimizations by status, alerts by kind. Scrape it with an API key that has the read scope (`authorization: Bearer ...`).",
    tag: "system",
    auth: true,
    success: { status: 200, name: "PrometheusText", schema: z.string(), description: "text/plain; version=0.0.4: the Prometheus exposition format." },
    errors: [],
  }),
};
