"use client";
// One trial of an optimization: the configuration it evaluated, its score on each example, and the
// LM calls the optimization made while it ran (its runs of source "optimization" in the trial's
// time window; an optimizer that proposes while evaluating would show those calls here too).
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Card, CardBody, CardHeader, Stat } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import type { ReplyOf } from "@/lib/api/routes";
import { fmtDate, fmtInt, fmtScore, fmtUsd } from "./format";

const RUNS_LIMIT = 100;

function ConfigValue({ value }: { value: unknown }) {
  if (typeof value === "string" && value.length > 60) return <pre className="whitespace-pre-wrap break-words font-mono text-xs">{value}</pre>;
  if (typeof value === "string") return <span className="font-mono text-xs">{value}</span>;
  return <pre className="whitespace-pre-wrap break-words font-mono text-xs">{JSON.stringify(value, null, 2)}</pre>;
}

export function TrialView({ optimizationId, number }: { optimizationId: string; number: number }) {
  const trial = useQuery({ queryKey: ["optimizations", "trial", optimizationId, number], queryFn: () => callApi(routes.getTrial, { params: { id: optimizationId, number } }) });
  const t = trial.data;
  const timeWindow = t?.startedAt && t.finishedAt ? { from: t.startedAt, to: new Date(Date.parse(t.finishedAt) + 1).toISOString() } : null;
  const runs = useQuery({
    queryKey: ["optimizations", "trial-runs", optimizationId, number, timeWindow],
    enabled: timeWindow !== null,
    queryFn: () =>
      callApi(routes.listRuns, { query: { optimizationId, from: timeWindow!.from, to: timeWindow!.to, limit: RUNS_LIMIT } }),
  });
  if (trial.isError) {
    return (
      <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 p-4 text-sm text-bad">
        {trial.error.message} <Link className="underline" href={`/optimizations/${encodeURIComponent(optimizationId)}`}>Back to the optimization</Link>
      </p>
    );
  }
  if (!t) return <p className="text-sm text-muted">Loading the trial…</p>;
  const config = t.config && typeof t.config === "object" ? Object.entries(t.config as Record<string, unknown>) : [];
  return (
    <div className="space-y-4" data-testid="trial-view" data-evaluation={t.evaluation}>
      <p className="text-sm">
        <Link className="text-accent hover:underline" href={`/optimizations/${encodeURIComponent(optimizationId)}`}>
          ← The optimization
        </Link>
        <span className="ml-2 text-muted">
          {t.status} · {t.evaluation === "full" ? `full evaluation on ${t.examples} examples` : `minibatch of ${t.examples} examples`} · {t.set === "train" ? "training set" : "validation set"}
          {t.startedAt && ` · started ${fmtDate(t.startedAt)}`}
        </span>
      </p>
      {t.error && <p className="text-sm text-bad">{t.error}</p>}
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Score" value={fmtScore(t.score)} hint={t.evaluation === "minibatch" ? "on a minibatch: not comparable with full evaluations" : "mean over the examples"} testId="trial-score" />
        <Stat label="Cost" value={fmtUsd(t.costUsd)} />
        <Stat label="LM calls" value={fmtInt(t.lmCalls)} />
        <Stat label="Latency per example" value={t.latencyMs === null ? "—" : `${fmtInt(t.latencyMs)} ms`} />
      </div>
      <Card>
        <CardHeader title="Configuration" description="The value of each variable this trial evaluated" />
        <table className="w-full text-sm" data-testid="trial-config">
          <tbody>
            {config.map(([k, v]) => (
              <tr key={k} className="border-b border-border align-top last:border-0">
                <th scope="row" className="w-64 px-4 py-2 text-left font-mono text-xs font-medium">
                  {k}
                </th>
                <td className="px-4 py-2">
                  <ConfigValue value={v} />
                </td>
              </tr>
            ))}
            {config.length === 0 && (
              <tr>
                <td className="px-4 py-4 text-muted">No variables: the program as it is.</td>
              </tr>
            )}
          </tbody>
        </table>
      </Card>
      <Card>
        <CardHeader title="Scores per example" description="Example: its position in the set the trial scored" />
        <table className="w-full text-sm" data-testid="trial-examples" data-count={t.perExample.length}>
          <thead className="text-left text-xs text-muted">
            <tr className="border-b border-border">
              <th scope="col" className="px-4 py-2 font-medium">Example</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Score</th>
              <th scope="col" className="px-4 py-2 font-medium">Metric feedback</th>
            </tr>
          </thead>
          <tbody>
            {t.perExample.map((e, i) => (
              <tr key={`${e.example}-${i}`} className="border-b border-border last:border-0" data-testid="trial-example">
                <td className="px-4 py-2 tabular-nums">#{e.example}</td>
                <td className={`px-4 py-2 text-right tabular-nums ${e.score !== null && e.score <= 0 ? "text-bad" : ""}`}>{fmtScore(e.score)}</td>
                <td className="px-4 py-2 text-xs text-muted">{e.feedback ?? "—"}</td>
              </tr>
            ))}
            {t.perExample.length === 0 && (
              <tr>
                <td colSpan={3} className="px-4 py-4 text-muted">
                  No per-example results were stored for this trial.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </Card>
      <Card>
        <CardHeader
          title="LM calls"
          description="The optimization's calls made while this trial ran, each a run with its trace (found by time: calls the optimizer made meanwhile would be listed too)"
        />
        <CardBody className="p-0">
          <TrialRuns runs={runs.data} loading={runs.isPending && timeWindow !== null} error={runs.error?.message ?? null} noWindow={timeWindow === null} />
        </CardBody>
      </Card>
    </div>
  );
}

function TrialRuns({ runs, loading, error, noWindow }: { runs: ReplyOf<typeof routes.listRuns> | undefined; loading: boolean; error: string | null; noWindow: boolean }) {
  if (noWindow) return <p className="px-4 py-4 text-sm text-muted">This trial has no recorded start and end, so its calls cannot be found.</p>;
  if (error) return <p role="alert" className="px-4 py-4 text-sm text-bad">{error}</p>;
  if (loading || !runs) return <p className="px-4 py-4 text-sm text-muted">Loading the calls…</p>;
  return (
    <div data-testid="trial-runs" data-total={runs.total}>
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-muted">
          <tr className="border-b border-border">
            <th scope="col" className="px-4 py-2 font-medium">Run</th>
            <th scope="col" className="px-4 py-2 font-medium">Status</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Tokens in / out</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Cost</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Latency</th>
          </tr>
        </thead>
        <tbody>
          {runs.items.map((r) => (
            <tr key={r.id} className="border-b border-border last:border-0" data-testid="trial-run">
              <td className="px-4 py-2">
                <Link className="font-mono text-xs text-accent hover:underline" href={`/runs/${encodeURIComponent(r.id)}`}>
                  {r.id.slice(0, 8)}
                </Link>
              </td>
              <td className={`px-4 py-2 ${r.status === "error" ? "text-bad" : ""}`}>{r.status}</td>
              <td className="px-4 py-2 text-right tabular-nums">
                {fmtInt(r.inputTokens)} / {fmtInt(r.outputTokens)}
              </td>
              <td className="px-4 py-2 text-right tabular-nums">{fmtUsd(r.costUsd)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{r.latencyMs === null ? "—" : `${fmtInt(r.latencyMs)} ms`}</td>
            </tr>
          ))}
          {runs.items.length === 0 && (
            <tr>
              <td colSpan={5} className="px-4 py-4 text-muted">
                No calls reached a provider during this trial (every answer came from the cache, or the budget refused them).
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {runs.total > runs.items.length && <p className="border-t border-border px-4 py-2 text-xs text-muted">The first {runs.items.length} of {runs.total} calls.</p>}
    </div>
  );
}
