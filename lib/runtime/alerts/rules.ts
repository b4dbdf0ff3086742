// When an alert is raised, as pure functions of an event (a budget's status, a breaker's state, an
// optimization's status) or of the runs of the last minutes, and the settings. Each alert carries
// the open key that makes it unique while it holds.
import type { AlertSettings, RuntimeEventPayload } from "../../schemas";
import type { NewAlert, RunWindowStats } from "../store";

type Draft = Omit<NewAlert, "delivery" | "firedAt">;

const usdText = (n: number) => `$${n < 1 ? n.toPrecision(3) : n.toFixed(2)}`;
const PERIOD = { day: "today", month: "this month", total: "in total" } as const;

/** The budget window an instant falls in, as UTC text: 2026-12-07, 2026-12, total. */
export function budgetWindowKey(period: "day" | "month" | "total", at: string): string {
  return period === "day" ? at.slice(0, 10) : period === "month" ? at.slice(0, 7) : "total";
}

/**
 * One alert per threshold the budget has reached in its current window. A refused call means the
 * budget cannot pay for another: that counts as 100%.
 */
export function budgetAlerts(status: RuntimeEventPayload<"budget:status">, thresholdsPercent: readonly number[], targetName?: string): Draft[] {
  if (status.limitUsd <= 0) return [];
  const percent = (status.spentUsd / status.limitUsd) * 100;
  const reached = [...new Set(thresholdsPercent)].filter((t) => percent >= t || (t === 100 && status.exhausted)).sort((a, b) => a - b);
  const scope = status.scope === "global" ? "All spending" : `${status.scope === "apiKey" ? "API key" : status.scope} ${targetName ?? status.scopeId}`;
  const window = budgetWindowKey(status.period, status.at);
  return reached.map((t) => ({
    kind: "budget",
    severity: t >= 100 ? "critical" : "warning",
    title: `Budget at ${t}%: ${scope} (${status.period === "total" ? "total" : `per ${status.period}`})`,
    message:
      t >= 100 && status.exhausted && percent < 100
        ? `${scope} has spent ${usdText(status.spentUsd)} of ${usdText(status.limitUsd)} ${PERIOD[status.period]} and refused a call it could not pay for.`
        : `${scope} has spent ${usdText(status.spentUsd)} of ${usdText(status.limitUsd)} ${PERIOD[status.period]} (${Math.floor(percent)}%).`,
    details: { threshold: t, percent: Math.round(percent * 10) / 10, scope: status.scope, scopeId: status.scopeId, period: status.period, window, limitUsd: status.limitUsd, spentUsd: status.spentUsd, exhausted: status.exhausted },
    openKey: `budget:${status.scope}:${status.scopeId}:${status.period}:${window}:${t}`,
  }));
}

export const breakerKey = (provider: string) => `breaker:${provider}`;

export function breakerAlert(state: RuntimeEventPayload<"breaker:state">): Draft {
  return {
    kind: "breaker",
    severity: "critical",
    title: `Breaker open: ${state.provider}`,
    message: `Calls to ${state.provider} are refused after ${state.failures} failures in a row; they resume when a trial call succeeds.`,
    details: { provider: state.provider, failures: state.failures, openedAt: state.at },
    openKey: breakerKey(state.provider),
  };
}

export function optimizationFailedAlert(status: RuntimeEventPayload<"optimization:status">): Draft {
  return {
    kind: "optimization-failed",
    severity: "critical",
    title: `Optimization failed: ${status.optimizationId.slice(0, 8)}`,
    message: `The optimization failed after ${status.trials} trials and ${usdText(status.spentUsd)}${status.message ? `: ${status.message}` : "."}`,
    details: { optimizationId: status.optimizationId, trials: status.trials, spentUsd: status.spentUsd, lmCalls: status.lmCalls, bestScore: status.bestScore, reason: status.message },
    openKey: `optimization-failed:${status.optimizationId}`,
  };
}

export const ERROR_RATE_KEY = "error-rate";
export const LATENCY_KEY = "latency";

/** The error-rate and latency conditions over the window: which hold (raise) and which do not (resolve). */
export function windowAlerts(stats: RunWindowStats, settings: AlertSettings): { readonly raise: Draft[]; readonly clear: string[] } {
  const raise: Draft[] = [];
  const clear: string[] = [];
  const enough = stats.runs >= settings.minRuns;
  const window = `the last ${settings.windowMinutes} minute${settings.windowMinutes === 1 ? "" : "s"}`;
  const rate = stats.runs > 0 ? (stats.failed / stats.runs) * 100 : 0;
  if (settings.errorRatePercent !== null && enough && rate > settings.errorRatePercent) {
    raise.push({
      kind: "error-rate",
      severity: "critical",
      title: `Error rate ${rate.toFixed(1)}% (limit ${settings.errorRatePercent}%)`,
      message: `${stats.failed} of ${stats.runs} runs failed in ${window}.`,
      details: { errorRatePercent: Math.round(rate * 10) / 10, limitPercent: settings.errorRatePercent, runs: stats.runs, failed: stats.failed, windowMinutes: settings.windowMinutes },
      openKey: ERROR_RATE_KEY,
    });
  } else clear.push(ERROR_RATE_KEY);
  const p95 = stats.p95LatencyMs;
  if (settings.latencyP95Ms !== null && enough && p95 !== null && p95 > settings.latencyP95Ms) {
    raise.push({
      kind: "latency",
      severity: "warning",
      title: `Latency p95 ${p95} ms (limit ${settings.latencyP95Ms} ms)`,
      message: `The slowest 5% of the ${stats.runs} runs in ${window} took more than ${p95} ms.`,
      details: { p95LatencyMs: p95, limitMs: settings.latencyP95Ms, runs: stats.runs, windowMinutes: settings.windowMinutes },
      openKey: LATENCY_KEY,
    });
  } else clear.push(LATENCY_KEY);
  return { raise, clear };
}
