// Sends alerts to a webhook as Slack-compatible JSON ({ text, attachments }), which Slack, Mattermost,
// Rocket.Chat, Discord's /slack endpoints and most chat gateways accept. Each attempt has a time
// limit; timeouts, connection errors, 429 and 5xx are retried with backoff, other answers are not.
import type { Alert } from "../../schemas";
import { createRetryPolicy } from "../resources";

export interface WebhookOptions {
  /** Milliseconds one attempt may take; default 5000. */
  readonly timeoutMs?: number;
  /** Attempts in all; default 4. */
  readonly attempts?: number;
  /** First retry's delay (it doubles, with jitter); default 1000. */
  readonly initialDelayMs?: number;
  /** The dashboard's address, for a link to the alert; optional. */
  readonly dashboardUrl?: string;
  /** Gives up at once (the process is stopping). */
  readonly signal?: AbortSignal;
}

export interface WebhookOutcome {
  readonly delivered: boolean;
  readonly attempts: number;
  readonly error: string | null;
}

export interface SlackMessage {
  readonly text: string;
  readonly attachments: readonly {
    readonly color: string;
    readonly title: string;
    readonly text: string;
    readonly fields: readonly { readonly title: string; readonly value: string; readonly short: boolean }[];
    readonly ts: number;
  }[];
}

class WebhookError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "WebhookError";
  }
}

const COLORS = { warning: "#d97706", critical: "#dc2626" } as const;

/** The message a chat channel shows for an alert. */
export function slackMessage(alert: Pick<Alert, "kind" | "severity" | "title" | "message" | "details" | "firedAt" | "id">, dashboardUrl?: string): SlackMessage {
  const link = dashboardUrl ? `\n${dashboardUrl.replace(/\/$/, "")}/alerts` : "";
  const fields = Object.entries(alert.details)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== "object")
    .slice(0, 8)
    .map(([title, value]) => ({ title, value: String(value), short: true }));
  return {
    text: `[DSPEx ${alert.severity}] ${alert.title}`,
    attachments: [{ color: COLORS[alert.severity], title: alert.title, text: `${alert.message}${link}`, fields: [{ title: "kind", value: alert.kind, short: true }, ...fields], ts: Math.floor(Date.parse(alert.firedAt) / 1000) }],
  };
}

/** POSTs the message to the URL, retrying what may succeed later; never throws. */
export async function sendWebhook(url: string, message: SlackMessage, options: WebhookOptions = {}): Promise<WebhookOutcome> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const policy = createRetryPolicy(
    { maxAttempts: options.attempts ?? 4, initialDelayMs: options.initialDelayMs ?? 1000, maxDelayMs: 30_000, retryable: (e) => e instanceof WebhookError && e.retryable },
    "sendWebhook",
  );
  let attempts = 0;
  const stop = options.signal;
  try {
    await policy.execute(async () => {
      attempts++;
      let res: Response;
      try {
        res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(message), signal: stop ? AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs), redirect: "error" });
      } catch (err) {
        const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
        throw new WebhookError(timedOut ? `no answer within ${timeoutMs} ms` : `could not connect: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`, true);
      }
      await res.body?.cancel().catch(() => undefined);
      if (!res.ok) throw new WebhookError(`the webhook answered ${res.status}`, res.status === 429 || res.status >= 500);
    }, stop);
    return { delivered: true, attempts, error: null };
  } catch (err) {
    return { delivered: false, attempts, error: err instanceof Error ? err.message : String(err) };
  }
}
