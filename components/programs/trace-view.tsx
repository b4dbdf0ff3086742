"use client";

import { ChevronDown, ChevronRight, MessageSquare } from "lucide-react";
import { useState } from "react";
import type { SpanNodeShape, TraceSchema } from "@/lib/schemas";
import type { z } from "zod";
import { usd } from "./format";

type Trace = z.infer<typeof TraceSchema>;
type LMCall = SpanNodeShape["lmCalls"][number];

interface Message {
  role: string;
  content: string;
}

function messagesOf(request: unknown): Message[] {
  const raw = (request as { messages?: unknown } | null)?.messages;
  if (!Array.isArray(raw)) return [];
  return raw.map((m: { role?: unknown; content?: unknown }) => ({
    role: typeof m?.role === "string" ? m.role : "?",
    content: typeof m?.content === "string" ? m.content : JSON.stringify(m?.content ?? null, null, 2),
  }));
}

function replyOf(response: unknown): string | undefined {
  const text = (response as { text?: unknown } | null)?.text;
  return typeof text === "string" ? text : response === undefined || response === null ? undefined : JSON.stringify(response, null, 2);
}

function CallView({ call }: { call: LMCall }) {
  const [open, setOpen] = useState(false);
  const reply = replyOf(call.response);
  return (
    <li className="rounded-md border border-border" data-testid="lm-call">
      <button type="button" className="flex w-full flex-wrap items-center gap-x-3 gap-y-1 px-2 py-1.5 text-left text-xs hover:bg-subtle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? <ChevronDown aria-hidden className="size-3.5" /> : <ChevronRight aria-hidden className="size-3.5" />}
        <MessageSquare aria-hidden className="size-3.5 text-accent" />
        <span className="font-mono">{call.model}</span>
        <span className="text-muted tabular-nums">
          {call.usage.inputTokens} in / {call.usage.outputTokens} out · {usd(call.costUsd)} · {Math.round(call.latencyMs)} ms
        </span>
        {call.cacheHit && <span className="text-muted">cached</span>}
        {call.error && <span className="text-bad">{call.error}</span>}
      </button>
      {open && (
        <div className="space-y-2 border-t border-border p-2" data-testid="lm-messages">
          {messagesOf(call.request).map((m, i) => (
            <div key={i}>
              <div className="text-[11px] font-medium uppercase tracking-wide text-muted">{m.role}</div>
              <pre className="max-h-60 overflow-auto whitespace-pre-wrap break-words rounded bg-subtle p-2 font-mono text-xs">{m.content}</pre>
            </div>
          ))}
          {reply !== undefined && (
            <div>
              <div className="text-[11px] font-medium uppercase tracking-wide text-muted">reply</div>
              <pre className="max-h-60 overflow-auto whitespace-pre-wrap break-words rounded border border-ok/40 bg-ok/10 p-2 font-mono text-xs">{reply}</pre>
            </div>
          )}
        </div>
      )}
    </li>
  );
}

function SpanView({ span, total }: { span: SpanNodeShape; total: number }) {
  const width = total > 0 && span.durationMs !== null ? Math.max(2, (span.durationMs / total) * 100) : 0;
  return (
    <li className="py-1" data-testid="trace-span">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className={`size-2 rounded-full ${span.status === "ok" ? "bg-ok" : span.status === "error" ? "bg-bad" : "bg-warn"}`} aria-label={span.status} />
        <span className="font-mono">{span.name}</span>
        <span className="rounded bg-subtle px-1.5 py-0.5 text-xs text-muted">{span.kind}</span>
        {span.durationMs !== null && <span className="text-xs text-muted tabular-nums">{Math.round(span.durationMs)} ms</span>}
      </div>
      {width > 0 && (
        <div className="my-1 h-1 w-full max-w-md rounded bg-subtle">
          <div className="h-1 rounded bg-accent" style={{ width: `${width}%` }} />
        </div>
      )}
      {span.error && <p className="text-xs text-bad">{span.error}</p>}
      {span.lmCalls.length > 0 && (
        <ul className="mt-1 space-y-1">
          {span.lmCalls.map((c) => (
            <CallView key={c.id} call={c} />
          ))}
        </ul>
      )}
      {span.children.length > 0 && (
        <ul className="ml-2 mt-1 border-l border-border pl-3">
          {span.children.map((c) => (
            <SpanView key={c.id} span={c} total={total} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** A run's spans as a compact tree, each with its LM calls (messages on demand). */
export function TraceView({ trace }: { trace: Trace }) {
  const total = Math.max(0, ...trace.spans.map((s) => s.durationMs ?? 0));
  const attached = new Set<string>();
  const walk = (s: SpanNodeShape) => {
    s.lmCalls.forEach((c) => attached.add(c.id));
    s.children.forEach(walk);
  };
  trace.spans.forEach(walk);
  const loose = trace.lmCalls.filter((c) => !attached.has(c.id));
  return (
    <div data-testid="trace-view">
      <ul>
        {trace.spans.map((s) => (
          <SpanView key={s.id} span={s} total={total} />
        ))}
      </ul>
      {loose.length > 0 && (
        <ul className="mt-2 space-y-1">
          {loose.map((c) => (
            <CallView key={c.id} call={c} />
          ))}
        </ul>
      )}
    </div>
  );
}
