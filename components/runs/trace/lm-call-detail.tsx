import { LocalTime } from "@/components/ui";
import { formatCount, formatMs, formatUsd } from "../format";
import { JsonBlock } from "./json-block";
import type { LMCall } from "./types";
import { showControls } from "./visible-controls";

interface Message {
  readonly role: string;
  readonly content: string;
}

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part) => (part && typeof part === "object" && "text" in part && typeof part.text === "string" ? part.text : JSON.stringify(part))).join("\n");
  return JSON.stringify(content, null, 2);
}

/** The request's messages when it has the chat shape; null to show the raw JSON instead. */
function messagesOf(request: unknown): Message[] | null {
  if (!request || typeof request !== "object" || !("messages" in request) || !Array.isArray(request.messages)) return null;
  return request.messages.map((m: unknown) => {
    const o = (m && typeof m === "object" ? m : {}) as { role?: unknown; content?: unknown };
    return { role: typeof o.role === "string" ? o.role : "message", content: textOf(o.content) };
  });
}

function replyOf(response: unknown): string | null {
  if (response && typeof response === "object" && "text" in response && typeof response.text === "string") return response.text;
  return null;
}

const ROLE_STYLE: Record<string, string> = {
  system: "border-l-muted",
  user: "border-l-accent",
  assistant: "border-l-ok",
};

export function LMCallDetail({ call }: { call: LMCall }) {
  const messages = messagesOf(call.request);
  const reply = replyOf(call.response);
  const u = call.usage;
  const tokens: [string, number][] = [
    ["Input", u.inputTokens],
    ["Cached input", u.cachedInputTokens],
    ["Cache write", u.cacheWriteTokens],
    ["Output", u.outputTokens],
    ["Reasoning", u.reasoningTokens],
  ];
  const facts: [string, React.ReactNode, string?][] = [
    ["Model", `${call.model} (${call.provider})`],
    ["Started", <LocalTime key="t" iso={call.createdAt} style="time" />],
    ["Latency", formatMs(call.latencyMs), "lm-latency"],
    ["Cost", call.refused ? "refused by a budget (not sent)" : call.priceUnknown ? "price unknown: set the model's price in Settings → Prices" : formatUsd(call.costUsd), "lm-cost"],
    ["Cache hit", call.cacheHit ? "yes" : "no", "lm-cache-hit"],
    ["Retries", String(call.retries), "lm-retries"],
    ...(call.adapter ? ([["Adapter", call.adapter]] as [string, React.ReactNode][]) : []),
    ...(call.attempt !== null ? ([["Attempt", String(call.attempt)]] as [string, React.ReactNode][]) : []),
  ];
  return (
    <div className="space-y-4" data-testid="lm-call-detail">
      {call.error && (
        <p role="alert" className="rounded-md border border-bad/40 bg-bad/10 px-3 py-2 text-sm text-bad">
          {call.error}
        </p>
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1.5 text-sm sm:grid-cols-3">
        {facts.map(([label, value, testId]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs text-muted">{label}</dt>
            <dd className="truncate font-medium tabular-nums" data-testid={testId} title={typeof value === "string" ? value : undefined}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <div>
        <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Tokens by kind</h4>
        <table className="w-full text-sm" data-testid="lm-tokens">
          <tbody>
            {tokens.map(([label, n]) => (
              <tr key={label} className="border-b border-border last:border-0">
                <th scope="row" className="py-1 text-left font-normal text-muted">
                  {label}
                </th>
                <td className="py-1 text-right tabular-nums">{formatCount(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div>
        <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Request messages</h4>
        {messages ? (
          <ol className="space-y-2" data-testid="lm-messages">
            {messages.map((m, i) => (
              <li key={i} className={`rounded-md border border-border border-l-4 bg-card ${ROLE_STYLE[m.role] ?? "border-l-border"}`}>
                <div className="px-3 pt-2 text-xs font-semibold uppercase tracking-wide text-muted">{m.role}</div>
                <pre className="max-h-80 overflow-auto px-3 pb-2 pt-1 font-mono text-xs leading-relaxed whitespace-pre-wrap break-words">{showControls(m.content)}</pre>
              </li>
            ))}
          </ol>
        ) : (
          <JsonBlock value={call.request} label="Request" />
        )}
      </div>
      <div>
        <h4 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-muted">Response</h4>
        <div data-testid="lm-response">{reply !== null ? <JsonBlock value={reply} label="Response" /> : <JsonBlock value={call.response ?? "(no response: the call failed)"} label="Response" />}</div>
      </div>
    </div>
  );
}
