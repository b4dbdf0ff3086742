// The marketplace in the database: administrators' decisions about actions (the allow-list), and
// the calls of every action per day, summed over every process (each adds its counts in batches).
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { parseInput } from "./parse-input";

const ActionNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "must be an action name: a letter, then letters, digits, _ or - (at most 64)");

export interface ActionSettingView {
  readonly action: string;
  readonly enabled: boolean;
  readonly updatedBy: string | null;
  readonly updatedAt: string;
}

export interface ActionUsageView {
  readonly calls: number;
  readonly errors: number;
  readonly costUsd: number;
  readonly totalMs: number;
  readonly lastError: string | null;
  readonly lastAt: string | null;
}

/** Every administrator's decision, by action. */
export async function listActionSettings(prisma: PrismaClient): Promise<ActionSettingView[]> {
  const rows = await prisma.actionSetting.findMany({ orderBy: { action: "asc" } });
  return rows.map((r) => ({ action: r.action, enabled: r.enabled, updatedBy: r.updatedBy, updatedAt: r.updatedAt.toISOString() }));
}

/** Enables or disables an action (by name); `userId` is who decided. */
export async function setActionEnabled(prisma: PrismaClient, action: string, enabled: boolean, userId: string | null): Promise<ActionSettingView> {
  const input = parseInput(z.object({ action: ActionNameSchema, enabled: z.boolean(), userId: z.string().nullable() }), { action, enabled, userId }, "action setting");
  const row = await prisma.actionSetting.upsert({
    where: { action: input.action },
    create: { action: input.action, enabled: input.enabled, updatedBy: input.userId },
    update: { enabled: input.enabled, updatedBy: input.userId },
  });
  return { action: row.action, enabled: row.enabled, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() };
}

/** Calls, errors, cost and time per action over the last `days` days (today included). */
export async function actionUsage(prisma: PrismaClient, days = 30, now: Date = new Date()): Promise<Record<string, ActionUsageView>> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const rows = await prisma.actionUsage.findMany({ where: { day: { gte: since } }, orderBy: [{ action: "asc" }, { day: "asc" }] });
  const out: Record<string, ActionUsageView> = {};
  for (const r of rows) {
    const t = out[r.action] ?? { calls: 0, errors: 0, costUsd: 0, totalMs: 0, lastError: null, lastAt: null };
    const lastAt = r.lastAt?.toISOString() ?? null;
    const newer = lastAt !== null && (t.lastAt === null || lastAt > t.lastAt);
    out[r.action] = {
      calls: t.calls + r.calls,
      errors: t.errors + r.errors,
      costUsd: t.costUsd + Number(r.costUsd),
      totalMs: t.totalMs + r.totalMs,
      lastError: newer && r.lastError !== null ? r.lastError : t.lastError,
      lastAt: newer ? lastAt : t.lastAt,
    };
  }
  return out;
}

export interface ActionCall {
  readonly action: string;
  readonly ok: boolean;
  readonly costUsd: number;
  readonly ms: number;
  readonly at: number;
  readonly error?: string;
}

export interface ActionUsageRecorder {
  /** Notes a call (no database write). */
  record(call: ActionCall): void;
  /** Adds what was noted to the day's rows: one upsert per action and day. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  stop(): Promise<void>;
}

interface Pending {
  action: string;
  day: string;
  calls: number;
  errors: number;
  costUsd: number;
  totalMs: number;
  lastError: string | null;
  lastAt: number;
}

const clean = (text: string) => text.replace(/\0/g, "").slice(0, 500);

/** Counts calls in memory and adds them to ActionUsage every few seconds (default 5 s). */
export function createActionUsageRecorder(prisma: PrismaClient, options: { readonly flushEveryMs?: number; readonly onError?: (err: unknown) => void } = {}): ActionUsageRecorder {
  let pending = new Map<string, Pending>();
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (pending.size === 0) return;
      const batch = [...pending.values()];
      pending = new Map();
      try {
        await prisma.$transaction(
          batch.map(
            (p) => prisma.$executeRaw`
              INSERT INTO "ActionUsage" ("action", "day", "calls", "errors", "costUsd", "totalMs", "lastError", "lastAt")
              VALUES (${p.action}, ${p.day}::date, ${p.calls}, ${p.errors}, ${p.costUsd}, ${p.totalMs}, ${p.lastError}, ${new Date(p.lastAt)})
              ON CONFLICT ("action", "day") DO UPDATE SET
                "calls" = "ActionUsage"."calls" + EXCLUDED."calls",
                "errors" = "ActionUsage"."errors" + EXCLUDED."errors",
                "costUsd" = "ActionUsage"."costUsd" + EXCLUDED."costUsd",
                "totalMs" = "ActionUsage"."totalMs" + EXCLUDED."totalMs",
                "lastError" = COALESCE(EXCLUDED."lastError", "ActionUsage"."lastError"),
                "lastAt" = GREATEST(EXCLUDED."lastAt", "ActionUsage"."lastAt")`,
          ),
        );
      } catch (err) {
        // Kept for the next flush: counts are added, so nothing is lost or counted twice.
        for (const p of batch) merge(pending, p);
        options.onError?.(err);
      }
    });
    return flushing;
  };
  const every = options.flushEveryMs ?? 5_000;
  const timer = every > 0 ? setInterval(() => void flush(), every) : undefined;
  timer?.unref();
  return {
    record(call) {
      merge(pending, {
        action: call.action,
        day: new Date(call.at).toISOString().slice(0, 10),
        calls: 1,
        errors: call.ok ? 0 : 1,
        costUsd: Number.isFinite(call.costUsd) && call.costUsd > 0 ? call.costUsd : 0,
        totalMs: Number.isFinite(call.ms) && call.ms > 0 ? call.ms : 0,
        lastError: call.ok ? null : clean(call.error ?? "failed"),
        lastAt: call.at,
      });
    },
    flush,
    async stop() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}

function merge(into: Map<string, Pending>, p: Pending): void {
  const key = `${p.action}\u0001${p.day}`;
  const t = into.get(key);
  if (!t) return void into.set(key, { ...p });
  t.calls += p.calls;
  t.errors += p.errors;
  t.costUsd += p.costUsd;
  t.totalMs += p.totalMs;
  if (p.lastAt >= t.lastAt) {
    t.lastAt = p.lastAt;
    if (p.lastError !== null) t.lastError = p.lastError;
  }
}
