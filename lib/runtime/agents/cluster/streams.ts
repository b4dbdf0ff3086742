// Mailboxes over Redis streams: bounded enqueue with back-pressure (wait for room or fail fast),
// reading a batch for a consumer, and the replies of the atomic completion and redelivery steps.
import type { Redis } from "ioredis";
import { AgentError } from "../errors";
import { GROUP } from "./keys";
import { runScript } from "./redis-scripts";

export interface StreamEntry {
  readonly stream: string;
  readonly id: string;
  readonly fields: readonly string[];
}

/** Creates the consumer group of each stream (and the stream), from its start; an existing group is kept. */
export async function ensureGroups(redis: Redis, streams: readonly string[]): Promise<void> {
  await Promise.all(
    streams.map((s) =>
      redis.call("XGROUP", "CREATE", s, GROUP, "0", "MKSTREAM").catch((err: unknown) => {
        if (!(err instanceof Error) || !err.message.includes("BUSYGROUP")) throw err;
      }),
    ),
  );
}

export interface EnqueueOptions {
  readonly capacity: number;
  readonly overflow?: "wait" | "fail";
  readonly signal?: AbortSignal;
  /** Epoch ms after which waiting for room stops with TASK_TIMEOUT. */
  readonly deadline?: number;
  readonly owner: string;
  readonly deliveries?: number;
}

/** Adds a message unless the stream holds `capacity` already; then waits for room (polling with backoff) or fails with MAILBOX_FULL. */
export async function enqueue(redis: Redis, stream: string, message: string, options: EnqueueOptions): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const id = await runScript(redis, "enqueue", [stream], [options.capacity, message, options.deliveries ?? 1]);
    if (typeof id === "string") return id;
    if (options.overflow === "fail") throw new AgentError("MAILBOX_FULL", `${options.owner}: mailbox full (${options.capacity} messages); retry later, or send with overflow "wait"`, options.owner);
    if (options.signal?.aborted) throw options.signal.reason;
    if (options.deadline !== undefined && Date.now() >= options.deadline) throw new AgentError("TASK_TIMEOUT", `${options.owner}: the mailbox stayed full until the message's deadline`, options.owner);
    await pause(Math.min(200, 2 * 2 ** Math.min(attempt, 7)), options.signal);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** XREADGROUP's answer as entries. */
export function parseRead(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const out: StreamEntry[] = [];
  for (const item of reply as unknown[]) {
    if (!Array.isArray(item)) continue;
    const [stream, entries] = item as [unknown, unknown];
    if (typeof stream !== "string" || !Array.isArray(entries)) continue;
    for (const entry of entries as unknown[]) {
      if (!Array.isArray(entry)) continue;
      const [id, fields] = entry as [unknown, unknown];
      if (typeof id === "string" && Array.isArray(fields)) out.push({ stream, id, fields: fields.map(String) });
    }
  }
  return out;
}

/** Publishes the reply and acknowledges the entry, only while `consumer` still owns it; false when it does not. */
export async function complete(redis: Redis, entry: StreamEntry, consumer: string, replyStream: string | undefined, reply: string): Promise<boolean> {
  return (await runScript(redis, "complete", [entry.stream, replyStream ?? ""], [GROUP, entry.id, consumer, reply])) === 1;
}

export type Requeued = { readonly kind: "requeued"; readonly deliveries: number } | { readonly kind: "dead"; readonly message: string; readonly deliveries: number } | { readonly kind: "gone" };

/** Takes an entry from a consumer and adds it again at the tail (or declares it dead past maxDeliveries). */
export async function requeue(redis: Redis, stream: string, id: string, consumer: string, maxDeliveries: number, counted: boolean): Promise<Requeued> {
  const r = await runScript(redis, "requeue", [stream], [GROUP, id, consumer, maxDeliveries, counted ? 1 : 0]);
  if (!Array.isArray(r)) return { kind: "gone" };
  const [kind, message, deliveries] = r as [string, string, string];
  return kind === "dead" ? { kind: "dead", message, deliveries: Number(deliveries) } : { kind: "requeued", deliveries: Number(deliveries) };
}

/** Ids of the entries a consumer holds (read, not yet completed). */
export async function pendingOf(redis: Redis, stream: string, consumer: string): Promise<string[]> {
  const reply = await redis.call("XPENDING", stream, GROUP, "-", "+", "10000", consumer).catch(() => []);
  return Array.isArray(reply) ? (reply as unknown[]).map((e) => (Array.isArray(e) ? String(e[0]) : "")).filter(Boolean) : [];
}

/** Consumer names of a stream's group (none when the stream or group does not exist). */
export async function consumersOf(redis: Redis, stream: string): Promise<string[]> {
  const reply = await redis.call("XINFO", "CONSUMERS", stream, GROUP).catch(() => []);
  if (!Array.isArray(reply)) return [];
  return (reply as unknown[]).flatMap((c) => {
    if (!Array.isArray(c)) return [];
    const i = c.indexOf("name");
    return i >= 0 ? [String(c[i + 1])] : [];
  });
}
