// The alert monitor: listens to the event stream (budgets, breakers, optimizations), checks the
// runs' error rate and latency every little while, raises alerts through the store (which tells
// every process and browser) and sends each to the webhook in the background. Nothing here ever
// makes a producer wait: the bus listener only starts work, and webhooks go through a small queue.
import PQueue from "p-queue";
import type { AlertSettings, RuntimeEventPayload } from "../../schemas";
import type { Logger } from "../../log";
import { systemClock, type Clock, type TimerHandle } from "../clock";
import type { BusEvent } from "../events";
import type { NewAlert, Store } from "../store";
import { breakerAlert, breakerKey, budgetAlerts, optimizationFailedAlert, windowAlerts } from "./rules";
import { sendWebhook, slackMessage, type WebhookOptions } from "./webhook";

type AlertStore = Pick<Store, "raiseAlert" | "resolveAlert" | "recordAlertDelivery" | "getAlertSettings" | "runWindowStats" | "budgetTargetNames">;

export interface AlertMonitorOptions {
  readonly store: AlertStore;
  readonly bus: { subscribe(listener: (event: BusEvent) => void): () => void };
  readonly log: Pick<Logger, "warn" | "error">;
  readonly clock?: Clock;
  /** Check the runs' error rate and latency (the web server does; workers leave it to it). Default true. */
  readonly watchRuns?: boolean;
  /** Between two checks of the runs; default 30 000. */
  readonly checkEveryMs?: number;
  readonly webhook?: WebhookOptions;
}

export interface AlertMonitor {
  /** Re-reads the settings at the next use (after they changed anywhere). */
  settingsChanged(): void;
  /** Checks the runs of the window now (the timer does it every checkEveryMs). */
  checkRuns(): Promise<void>;
  /** Resolves when every alert raised so far is stored and its webhook attempted. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const SETTINGS_TTL_MS = 60_000;
/** Open keys this process already raised (or saw taken): the store is not asked again for them. */
const MAX_KNOWN_KEYS = 10_000;

export function createAlertMonitor(options: AlertMonitorOptions): AlertMonitor {
  const { store, log } = options;
  const clock = options.clock ?? systemClock();
  const checkEveryMs = options.checkEveryMs ?? 30_000;
  const deliveries = new PQueue({ concurrency: 2 });
  const work = new Set<Promise<void>>();
  const stopping = new AbortController();
  const known = new Set<string>();
  let settings: { value: AlertSettings; readAt: number } | undefined;
  let timer: TimerHandle | undefined;
  let stopped = false;

  async function currentSettings(): Promise<AlertSettings> {
    if (settings && clock.now() - settings.readAt < SETTINGS_TTL_MS) return settings.value;
    const value = await store.getAlertSettings();
    settings = { value, readAt: clock.now() };
    return value;
  }

  function remember(key: string): void {
    if (known.size >= MAX_KNOWN_KEYS) known.clear();
    known.add(key);
  }

  function track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => log.error({ err }, "alert not recorded")).finally(() => work.delete(tracked));
    work.add(tracked);
  }

  async function raise(drafts: readonly Omit<NewAlert, "delivery" | "firedAt">[], s: AlertSettings): Promise<void> {
    for (const draft of drafts) {
      if (known.has(draft.openKey)) continue;
      remember(draft.openKey);
      const alert = await store.raiseAlert({ ...draft, delivery: s.webhookUrl ? "pending" : "none", firedAt: new Date(clock.now()) });
      if (!alert || !s.webhookUrl) continue;
      const url = s.webhookUrl;
      void deliveries.add(async () => {
        const outcome = await sendWebhook(url, slackMessage(alert, options.webhook?.dashboardUrl), { ...options.webhook, signal: stopping.signal });
        await store.recordAlertDelivery(alert.id, { delivery: outcome.delivered ? "delivered" : "failed", attempts: outcome.attempts, error: outcome.error, at: new Date(clock.now()) });
        if (!outcome.delivered) log.warn({ alertId: alert.id, attempts: outcome.attempts, error: outcome.error }, "alert webhook not delivered");
      }).catch((err: unknown) => log.error({ err }, "alert webhook delivery not recorded"));
    }
  }

  async function resolve(key: string): Promise<void> {
    known.delete(key);
    await store.resolveAlert(key, new Date(clock.now()));
  }

  async function onBudget(status: RuntimeEventPayload<"budget:status">): Promise<void> {
    const s = await currentSettings();
    const percent = status.limitUsd > 0 ? (status.spentUsd / status.limitUsd) * 100 : 0;
    if (!s.budgetThresholdsPercent.some((t) => percent >= t || (t === 100 && status.exhausted))) return;
    const name = status.scope === "global" ? undefined : (await store.budgetTargetNames([{ scope: status.scope, scopeId: status.scopeId }])).get(status.scopeId)?.name;
    await raise(budgetAlerts(status, s.budgetThresholdsPercent, name), s);
  }

  const unsubscribe = options.bus.subscribe((event) => {
    if (stopped) return;
    switch (event.name) {
      case "budget:status":
        track(onBudget(event.payload));
        return;
      case "breaker:state":
        if (event.payload.state === "open") {
          const open = breakerAlert(event.payload);
          track(currentSettings().then((s) => raise([open], s)));
        } else if (event.payload.state === "closed") track(resolve(breakerKey(event.payload.provider)));
        return;
      case "optimization:status":
        if (event.payload.status === "failed") {
          const failed = optimizationFailedAlert(event.payload);
          track(currentSettings().then((s) => raise([failed], s)));
        }
        return;
      default:
        return;
    }
  });

  async function checkRuns(): Promise<void> {
    const s = await currentSettings();
    if (s.errorRatePercent === null && s.latencyP95Ms === null) return;
    const to = new Date(clock.now());
    const stats = await store.runWindowStats(new Date(to.getTime() - s.windowMinutes * 60_000), to);
    const { raise: drafts, clear } = windowAlerts(stats, s);
    await raise(drafts, s);
    for (const key of clear) await resolve(key);
  }

  function schedule(): void {
    if (stopped || options.watchRuns === false) return;
    timer = clock.setTimeout(() => {
      const p = checkRuns().catch((err: unknown) => log.warn({ err }, "alert check of the runs failed"));
      track(p);
      void p.finally(schedule);
    }, checkEveryMs);
  }
  schedule();

  return {
    settingsChanged() {
      settings = undefined;
    },
    checkRuns,
    async idle() {
      while (work.size > 0) await Promise.all([...work]);
      await deliveries.onIdle();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unsubscribe();
      if (timer) clock.clearTimeout(timer);
      stopping.abort();
      await Promise.all([...work]);
      deliveries.clear();
      await deliveries.onIdle();
    },
  };
}
