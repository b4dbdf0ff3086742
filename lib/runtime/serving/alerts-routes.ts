// Alerts over the API (list, acknowledge, settings, a test of the webhook) and GET /api/v1/metrics,
// the same numbers for Prometheus.
import { sendWebhook, slackMessage } from "../alerts";
import type { Store } from "../store";
import { routes } from "../../api/routes";
import { prometheusText, type Gauge } from "./prometheus";
import { implement, type Route } from "./router";

export interface AlertsEnv {
  readonly store: Pick<Store, "listAlerts" | "acknowledgeAlert" | "getAlertSettings" | "saveAlertSettings" | "runWindowStats" | "listBudgets" | "alertCounts">;
  /** Milliseconds (default Date.now). */
  readonly now?: () => number;
}

async function metricGauges(store: AlertsEnv["store"], now: Date): Promise<Gauge[]> {
  const settings = await store.getAlertSettings();
  const [stats, budgets, alerts] = await Promise.all([store.runWindowStats(new Date(now.getTime() - settings.windowMinutes * 60_000), now), store.listBudgets({ limit: 100 }, now), store.alertCounts()]);
  const budget = (b: (typeof budgets.items)[number]) => ({ scope: b.scope, scope_id: b.scopeId, period: b.period });
  const kinds = Object.keys(alerts.raised);
  return [
    { name: "dspex_alert_window_seconds", help: "The window the run figures below cover.", samples: [{ value: settings.windowMinutes * 60 }] },
    { name: "dspex_runs_window", help: "Finished runs that started in the window.", samples: [{ value: stats.runs }] },
    { name: "dspex_runs_failed_window", help: "Failed runs that started in the window.", samples: [{ value: stats.failed }] },
    { name: "dspex_run_error_ratio_window", help: "Failed runs / finished runs in the window (0 when there were none).", samples: [{ value: stats.runs > 0 ? stats.failed / stats.runs : 0 }] },
    { name: "dspex_run_latency_p95_seconds_window", help: "p95 run latency in the window (NaN when there were no runs).", samples: [{ value: stats.p95LatencyMs === null ? Number.NaN : stats.p95LatencyMs / 1000 }] },
    { name: "dspex_budget_limit_usd", help: "Each budget's limit in its period.", samples: budgets.items.map((b) => ({ labels: budget(b), value: b.limitUsd })) },
    { name: "dspex_budget_spent_usd", help: "Each budget's spend in its current window.", samples: budgets.items.map((b) => ({ labels: budget(b), value: b.spentUsd })) },
    { name: "dspex_budget_used_ratio", help: "Spend / limit of each budget in its current window.", samples: budgets.items.map((b) => ({ labels: budget(b), value: b.limitUsd > 0 ? b.spentUsd / b.limitUsd : 0 })) },
    { name: "dspex_alerts_raised", help: "Alerts raised so far, by kind.", samples: kinds.map((kind) => ({ labels: { kind }, value: alerts.raised[kind] ?? 0 })) },
    { name: "dspex_alerts_unacknowledged", help: "Alerts nobody acknowledged yet, by kind.", samples: kinds.map((kind) => ({ labels: { kind }, value: alerts.unacknowledged[kind] ?? 0 })) },
  ];
}

export function alertsRoutes(env: AlertsEnv): Route[] {
  const { store } = env;
  const now = env.now ?? Date.now;

  const list = implement(routes.listAlerts, async ({ query }) => ({ status: 200, body: await store.listAlerts(query) }));

  const acknowledge = implement(routes.acknowledgeAlert, async ({ params, caller }) => ({
    status: 200,
    body: await store.acknowledgeAlert(params.id, caller.kind === "user" ? caller.user.id : null, new Date(now())),
  }));

  const settings = implement(routes.getAlertSettings, async () => ({ status: 200, body: await store.getAlertSettings() }));

  const save = implement(routes.updateAlertSettings, async ({ body }) => ({ status: 200, body: await store.saveAlertSettings(body) }));

  const test = implement(routes.testAlertWebhook, async () => {
    const { webhookUrl } = await store.getAlertSettings();
    if (!webhookUrl) return { status: 200, body: { delivered: false, attempts: 0, error: "no webhook is set" } };
    const message = slackMessage({ id: "test", kind: "budget", severity: "warning", title: "Test alert from DSPEx", message: "The alert webhook works.", details: {}, firedAt: new Date(now()).toISOString() });
    return { status: 200, body: await sendWebhook(webhookUrl, message, { attempts: 1 }) };
  });

  const metrics = implement(routes.prometheusMetrics, async () => ({
    status: 200,
    body: prometheusText(await metricGauges(store, new Date(now()))),
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
  }));

  return [list, acknowledge, settings, save, test, metrics];
}
