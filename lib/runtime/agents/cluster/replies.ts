// The replies a node waits for: asks (resolved by the reply) and traced sends (whose span ends
// when the receiver reports it handled the message). A reply nobody waits for any more (it
// came after a timeout) is counted and dropped.
import type { Redis } from "ioredis";
import { AgentError } from "../errors";
import { endMessageSpan, type OpenMessageSpan } from "../messaging/message-span";
import type { NodeContext } from "./node-context";
import { importSpans } from "./remote-trace";
import { errorFromWire, WireReplySchema, type WireReply } from "./wire";

interface Waiting {
  readonly label: string;
  readonly span?: OpenMessageSpan;
  readonly resolve?: (value: unknown) => void;
  readonly reject?: (error: unknown) => void;
  timer?: NodeJS.Timeout;
}

/** How long a traced send's span waits for the receiver's report. */
const TRACE_REPORT_MS = 5 * 60_000;

export class PendingReplies {
  private readonly waiting = new Map<string, Waiting>();
  readonly counts = { received: 0, unmatched: 0, malformed: 0 };

  get size(): number {
    return this.waiting.size;
  }

  /** An ask: resolved or rejected by its reply, or by fail(). */
  expect(id: string, waiting: Waiting): void {
    this.waiting.set(id, waiting);
  }

  /** A traced send: its span ends when the receiver reports, or after a while without a report. */
  expectReport(id: string, label: string, span: OpenMessageSpan): void {
    const waiting: Waiting = { label, span };
    waiting.timer = setTimeout(() => this.fail(id, new AgentError("TASK_TIMEOUT", `no report from ${label} about the message within ${TRACE_REPORT_MS} ms`)), TRACE_REPORT_MS);
    waiting.timer.unref();
    this.waiting.set(id, waiting);
  }

  /** Ends a wait with an error (timeout, abort, the message could not be sent). */
  fail(id: string, error: unknown): void {
    const w = this.take(id);
    if (!w) return;
    if (w.span) endMessageSpan(w.span, { ok: false, error });
    w.reject?.(error);
  }

  setTimer(id: string, timer: NodeJS.Timeout): void {
    const w = this.waiting.get(id);
    if (w) w.timer = timer;
    else clearTimeout(timer);
  }

  handle(reply: WireReply): void {
    this.counts.received++;
    const w = this.take(reply.id);
    if (!w) {
      this.counts.unmatched++;
      return;
    }
    if (w.span) {
      importSpans(w.span.trace.tracer, reply.spans ?? [], reply.lmCalls ?? []);
      endMessageSpan(w.span, reply.ok ? { ok: true, value: reply.value } : { ok: false, error: errorFromWire(reply.error) });
    }
    if (reply.ok) w.resolve?.(reply.value);
    else w.reject?.(errorFromWire(reply.error, reply.agent ?? w.label));
  }

  rejectAll(error: unknown): void {
    for (const id of [...this.waiting.keys()]) this.fail(id, error);
  }

  private take(id: string): Waiting | undefined {
    const w = this.waiting.get(id);
    if (!w) return undefined;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    return w;
  }
}

/** Reads this node's reply stream until stopped, handing each reply to `pending`, then deleting it. */
export async function readReplies(ctx: NodeContext, reader: Redis, pending: PendingReplies, stopped: () => boolean): Promise<void> {
  const stream = ctx.keys.replies(ctx.nodeId);
  let last = "0";
  while (!stopped()) {
    let reply: unknown;
    try {
      reply = await reader.call("XREAD", "COUNT", "500", "BLOCK", String(ctx.blockMs), "STREAMS", stream, last);
    } catch (err) {
      if (stopped()) return;
      ctx.log?.warn({ err }, "cluster: reading replies failed; retrying");
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    const ids: string[] = [];
    for (const [, entries] of Array.isArray(reply) ? (reply as Array<[string, Array<[string, string[]]>]>) : []) {
      for (const [id, fields] of entries) {
        ids.push(id);
        last = id;
        const raw = fields[fields.indexOf("r") + 1];
        try {
          const parsed = WireReplySchema.safeParse(JSON.parse(raw ?? ""));
          if (parsed.success) pending.handle(parsed.data);
          else pending.counts.malformed++;
        } catch {
          pending.counts.malformed++;
        }
      }
    }
    if (ids.length) await ctx.redis.xdel(stream, ...ids).catch(() => 0);
  }
}
