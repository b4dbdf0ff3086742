"use client";
// Where alerts go and when they are raised (administrators only: the webhook URL is a secret).
// Errors come back from the API by field and are shown next to it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, callApi } from "@/lib/api/client";
import { routes } from "@/lib/api/routes";
import type { AlertSettings, AlertSettingsInput } from "@/lib/schemas";
import { Card, CardHeader, CardBody, btn, btnPrimary } from "@/components/ui";
import { useSessionUser } from "@/components/shell/user-menu";

const INPUT = "h-9 w-full rounded-md border border-border bg-bg px-2 text-sm aria-[invalid=true]:border-bad";

interface Draft {
  webhookUrl: string;
  thresholds: string;
  errorRate: string;
  latency: string;
  windowMinutes: string;
  minRuns: string;
}

const toDraft = (s: AlertSettings): Draft => ({
  webhookUrl: s.webhookUrl ?? "",
  thresholds: s.budgetThresholdsPercent.join(", "),
  errorRate: s.errorRatePercent === null ? "" : String(s.errorRatePercent),
  latency: s.latencyP95Ms === null ? "" : String(s.latencyP95Ms),
  windowMinutes: String(s.windowMinutes),
  minRuns: String(s.minRuns),
});

/** Empty means "never" for the limits; anything else is sent as typed, and the API names what does not fit. */
const numberOrNull = (text: string): number | null => (text.trim() === "" ? null : Number(text));

function toBody(d: Draft): AlertSettingsInput {
  return {
    webhookUrl: d.webhookUrl.trim() === "" ? null : d.webhookUrl.trim(),
    budgetThresholdsPercent: d.thresholds.split(/[,\s]+/).filter(Boolean).map(Number),
    errorRatePercent: numberOrNull(d.errorRate),
    latencyP95Ms: numberOrNull(d.latency),
    windowMinutes: Number(d.windowMinutes),
    minRuns: Number(d.minRuns),
  };
}

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string | undefined; children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => React.ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-muted">
        {label}
      </label>
      {children({ id, "aria-invalid": error !== undefined, ...(error && { "aria-describedby": `${id}-error` }) })}
      {error ? (
        <p id={`${id}-error`} className="text-xs text-bad">
          {error}
        </p>
      ) : hint ? (
        <p className="text-xs text-muted">{hint}</p>
      ) : null}
    </div>
  );
}

function SettingsForm({ settings }: { settings: AlertSettings }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const save = useMutation({
    mutationFn: (body: AlertSettingsInput) => callApi(routes.updateAlertSettings, { body }),
    onSuccess: (saved) => {
      setDraft(toDraft(saved));
      queryClient.setQueryData(["alerts", "settings"], saved);
    },
  });
  const test = useMutation({ mutationFn: () => callApi(routes.testAlertWebhook, { body: {} }) });
  const fields = save.error instanceof ApiError ? save.error.fields : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(toBody(draft));
  };
  const thresholdError = Object.entries(fields).find(([f]) => f.startsWith("budgetThresholdsPercent"))?.[1];

  return (
    <form onSubmit={submit} noValidate data-testid="alert-settings-form" className="grid gap-4 md:grid-cols-2">
      <div className="md:col-span-2">
        <Field id="alert-webhook" label="Webhook URL" hint="Slack-compatible JSON ({ text, attachments }); empty: alerts show here only." error={fields.webhookUrl}>
          {(p) => <input {...p} className={INPUT} type="url" placeholder="https://hooks.slack.com/services/…" value={draft.webhookUrl} onChange={set("webhookUrl")} />}
        </Field>
      </div>
      <Field id="alert-thresholds" label="Budget thresholds (%)" hint="Each raised once per budget window." error={thresholdError}>
        {(p) => <input {...p} className={INPUT} value={draft.thresholds} onChange={set("thresholds")} />}
      </Field>
      <Field id="alert-error-rate" label="Error rate above (%)" hint="Empty: never." error={fields.errorRatePercent}>
        {(p) => <input {...p} className={INPUT} inputMode="decimal" value={draft.errorRate} onChange={set("errorRate")} />}
      </Field>
      <Field id="alert-latency" label="Latency p95 above (ms)" hint="Empty: never." error={fields.latencyP95Ms}>
        {(p) => <input {...p} className={INPUT} inputMode="numeric" value={draft.latency} onChange={set("latency")} />}
      </Field>
      <Field id="alert-window" label="Window (minutes)" error={fields.windowMinutes}>
        {(p) => <input {...p} className={INPUT} inputMode="numeric" value={draft.windowMinutes} onChange={set("windowMinutes")} />}
      </Field>
      <Field id="alert-min-runs" label="At least this many runs in the window" error={fields.minRuns}>
        {(p) => <input {...p} className={INPUT} inputMode="numeric" value={draft.minRuns} onChange={set("minRuns")} />}
      </Field>
      <div className="flex flex-wrap items-center gap-2 md:col-span-2">
        <button type="submit" className={btnPrimary} disabled={save.isPending}>
          Save alert settings
        </button>
        <button type="button" className={btn} disabled={test.isPending || !settings.webhookUrl} onClick={() => test.mutate()}>
          Send a test message
        </button>
        <span role="status" className="text-sm text-muted">
          {save.isSuccess && !save.isPending ? "Saved." : ""}
          {save.error && !(save.error instanceof ApiError && Object.keys(save.error.fields).length) ? save.error.message : ""}
          {test.data ? (test.data.delivered ? " The webhook took the test message." : ` The webhook did not take it: ${test.data.error ?? "unknown error"}.`) : ""}
        </span>
      </div>
    </form>
  );
}

export function AlertSettingsCard() {
  const { user } = useSessionUser();
  const isAdmin = user?.role === "admin";
  const settings = useQuery({ queryKey: ["alerts", "settings"], queryFn: ({ signal }) => callApi(routes.getAlertSettings, { signal }), enabled: isAdmin });
  if (!isAdmin) return null;
  return (
    <Card>
      <CardHeader title="Alert settings" description="Where alerts are sent and when they are raised. Also at POST /api/v1/alerts/settings; the numbers are at GET /api/v1/metrics for Prometheus." />
      <CardBody>
        {settings.error ? (
          <p role="alert" className="text-sm text-bad">
            Could not load the settings: {settings.error.message}
          </p>
        ) : settings.data ? (
          <SettingsForm settings={settings.data} />
        ) : (
          <p className="text-sm text-muted">Loading the settings…</p>
        )}
      </CardBody>
    </Card>
  );
}
