export { createAlertMonitor, type AlertMonitor, type AlertMonitorOptions } from "./monitor";
export { budgetAlerts, breakerAlert, optimizationFailedAlert, windowAlerts, budgetWindowKey } from "./rules";
export { sendWebhook, slackMessage, type SlackMessage, type WebhookOptions, type WebhookOutcome } from "./webhook";
