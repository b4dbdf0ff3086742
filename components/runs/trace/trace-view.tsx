"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { useRealtime, useRoom, useServerEvent } from "@/components/realtime";
import { Card, CardBody, CardHeader, LocalTime } from "@/components/ui";
import { callApi, routes } from "@/lib/api/client";
import { UsageSchema } from "@/lib/schemas";
import { formatCount, formatMs, formatUsd } from "../format";
import { StatusBadge } from "../status-badge";
import { useEventRefetch } from "../use-throttled";
import { traceRows, traceWindow } from "./flatten";
import { JsonBlock } from "./json-block";
import { LMCallDetail } from "./lm-call-detail";
import { SpanDetail } from "./span-detail";
import { SpanTimeline } from "./span-timeline";
import type { Trace } from "./types";

/** While the run is running, its bars grow with this clock (a local tick, not a server poll). */
function useNow(running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [running]);
  return now;
}

function RunFacts({ trace }: { trace: Trace }) {
  const r = trace.run;
  const usage = UsageSchema.safeParse(r.usage);
  const facts: [string, React.ReactNode, string?][] = [
    ["Status", <StatusBadge key="s" status={r.status} />, "run-status"],
    ["Program", r.program ? `${r.program.name}${r.version ? ` v${r.version.number}` : ""}` : "(deleted)", "run-program"],
    ["Source", r.source],
    ["API key", r.apiKey ? `${r.apiKey.name} (${r.apiKey.prefix})` : "—"],
    ["Started", <LocalTime key="t" iso={r.startedAt} style="time" />, "run-started"],
    ["Latency", formatMs(r.latencyMs), "run-latency"],
    ["Tokens in / out", `${formatCount(r.inputTokens)} / ${formatCount(r.outputTokens)}`, "run-tokens"],
    ["Cost", formatUsd(r.costUsd), "run-cost"],
    ["LM calls", String(trace.lmCalls.length), "run-lm-calls"],
  ];
  if (usage.success && (usage.data.cachedInputTokens || usage.data.reasoningTokens || usage.data.cacheWriteTokens))
    facts.push(["Cached / cache write / reasoning", `${formatCount(usage.data.cachedInputTokens)} / ${formatCount(usage.data.cacheWriteTokens)} / ${formatCount(usage.data.reasoningTokens)}`]);
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-3 lg:grid-cols-5">
      {facts.map(([label, value, testId]) => (
        <div key={label} className="min-w-0">
          <dt className="text-xs text-muted">{label}</dt>
          <dd className="truncate font-medium tabular-nums" data-testid={testId}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function TraceView({ initial }: { initial: Trace }) {
  const id = initial.run.id;
  const queryClient = useQueryClient();
  const key = useMemo(() => ["runs", "trace", id] as const, [id]);
  const { data: trace = initial } = useQuery({ queryKey: key, queryFn: ({ signal }) => callApi(routes.getRun, { params: { id }, signal }), initialData: initial });
  const running = trace.run.status === "running";

  // Live while the run is running: its spans, LM calls and end arrive in room runs:<id>.
  useRoom(running ? `runs:${id}` : undefined);
  const refetch = useEventRefetch(() => void queryClient.invalidateQueries({ queryKey: key, exact: true }), 500);
  useServerEvent("span:finished", (e) => e.runId === id && refetch());
  useServerEvent("lmcall:recorded", (e) => e.runId === id && refetch());
  useServerEvent("run:finished", (e) => e.runId === id && refetch());
  const { connectionEpoch } = useRealtime();
  const firstEpoch = useRef(connectionEpoch);
  useEffect(() => {
    if (connectionEpoch !== firstEpoch.current) refetch();
  }, [connectionEpoch, refetch]);

  const now = useNow(running);
  const rows = useMemo(() => traceRows(trace), [trace]);
  const window = useMemo(() => traceWindow(trace, rows, now), [trace, rows, now]);
  const [selected, setSelected] = useState<string | null>(null);
  const current = rows.find((r) => r.key === selected) ?? rows.find((r) => r.kind === "lm") ?? rows[0];

  return (
    <div className="space-y-4">
      <Link href="/runs" className="inline-flex items-center gap-1 text-sm text-muted hover:text-fg">
        <ArrowLeft aria-hidden className="size-4" /> All runs
      </Link>
      <Card>
        <CardHeader
          title={`Run ${trace.run.id.slice(0, 8)}`}
          description={
            <span className="font-mono" title="Trace id">
              trace {trace.run.traceId}
            </span>
          }
          action={running ? <span className="text-xs text-warn">Live: updating as the run progresses</span> : undefined}
        />
        <CardBody className="space-y-4">
          <RunFacts trace={trace} />
          {trace.run.error && (
            <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad" data-testid="run-error">
              {trace.run.error}
            </p>
          )}
          <div className="grid gap-4 md:grid-cols-2">
            <div>
              <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Input</h3>
              <JsonBlock value={trace.run.input} label="Run input" maxHeight="max-h-48" />
            </div>
            <div>
              <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Output</h3>
              <JsonBlock value={trace.run.output ?? (running ? "(running…)" : undefined)} label="Run output" maxHeight="max-h-48" />
            </div>
          </div>
        </CardBody>
      </Card>
      <div className="grid gap-4 xl:grid-cols-5">
        <Card className="min-w-0 xl:col-span-3">
          <CardHeader title="Spans and timeline" description={`${rows.filter((r) => r.kind === "span").length} spans, ${trace.lmCalls.length} LM calls over ${formatMs(window.end - window.start)}`} />
          <CardBody className="overflow-x-auto">
            <SpanTimeline rows={rows} window={window} now={now} selected={current?.key ?? null} onSelect={setSelected} />
          </CardBody>
        </Card>
        <Card className="min-w-0 xl:col-span-2">
          <CardHeader
            title={current ? (current.kind === "lm" ? `LM call: ${current.call.model}` : `Span: ${current.span.name}`) : "Details"}
            description={current?.kind === "lm" ? "The exact messages sent and the reply" : "Inputs, outputs and attributes"}
          />
          <CardBody>
            {!current && <p className="text-sm text-muted">Select a span or an LM call to see its details.</p>}
            {current?.kind === "lm" && <LMCallDetail call={current.call} />}
            {current?.kind === "span" && <SpanDetail span={current.span} />}
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
