// Alerts and their settings. An alert with an open key is raised at most once while that key is
// held (one threshold of one budget window, one condition that still holds), so processes that see
// the same event raise it once between them: the unique key decides.
import { Prisma, type PrismaClient } from "../../db";
import {
  AlertListQuerySchema,
  AlertSchema,
  AlertSettingsSchema,
  DEFAULT_ALERT_SETTINGS,
  type Alert,
  type AlertDelivery,
  type AlertKind,
  type AlertListQuery,
  type AlertPage,
  type AlertSettings,
  type AlertSettingsInput,
  type AlertSeverity,
} from "../../schemas";
import { NotFoundError } from "./errors";
import { isoOrNull, toJson } from "./json";
import { parseInput } from "./parse-input";
import { isUniqueViolation } from "./prisma-errors";

const SETTINGS_KEY = "alerts";

export interface NewAlert {
  readonly kind: AlertKind;
  readonly severity: AlertSeverity;
  readonly title: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
  /** Held while the alert is open; a second alert with the same key is not raised. */
  readonly openKey: string;
  /** "pending" when a webhook will be sent, else "none". */
  readonly delivery: AlertDelivery;
  readonly firedAt?: Date;
}

interface AlertRow {
  id: string;
  kind: string;
  severity: string;
  title: string;
  message: string;
  details: unknown;
  firedAt: Date;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedById: string | null;
  delivery: string;
  deliveryAttempts: number;
  deliveryError: string | null;
}

function toAlert(row: AlertRow): Alert {
  return AlertSchema.parse({
    ...row,
    details: row.details !== null && typeof row.details === "object" && !Array.isArray(row.details) ? row.details : {},
    firedAt: row.firedAt.toISOString(),
    resolvedAt: isoOrNull(row.resolvedAt),
    acknowledgedAt: isoOrNull(row.acknowledgedAt),
  });
}

/** Raises an alert; null when one with the same open key is already raised. */
export async function raiseAlert(prisma: PrismaClient, input: NewAlert): Promise<Alert | null> {
  try {
    const row = await prisma.alert.create({
      data: {
        kind: input.kind,
        severity: input.severity,
        title: input.title,
        message: input.message,
        details: toJson(input.details),
        openKey: input.openKey,
        delivery: input.delivery,
        ...(input.firedAt && { firedAt: input.firedAt }),
      },
    });
    return toAlert(row);
  } catch (err) {
    if (isUniqueViolation(err)) return null;
    throw err;
  }
}

/** The condition behind an open key stopped holding: the alert is resolved and the key freed. Returns how many were. */
export async function resolveAlert(prisma: PrismaClient, openKey: string, at: Date = new Date()): Promise<number> {
  const { count } = await prisma.alert.updateMany({ where: { openKey }, data: { openKey: null, resolvedAt: at } });
  return count;
}

/** Alerts newest first, with how many nobody acknowledged yet. Errors: INVALID (query). */
export async function listAlerts(prisma: PrismaClient, query: AlertListQuery = {}): Promise<AlertPage> {
  const q = parseInput(AlertListQuerySchema, query, "alert list query");
  const where: Prisma.AlertWhereInput = q.status === "open" ? { acknowledgedAt: null } : {};
  const [rows, total, unacknowledged] = await prisma.$transaction([
    prisma.alert.findMany({ where, orderBy: [{ firedAt: "desc" }, { id: "desc" }], skip: (q.page - 1) * q.limit, take: q.limit }),
    prisma.alert.count({ where }),
    prisma.alert.count({ where: { acknowledgedAt: null } }),
  ]);
  return { items: rows.map(toAlert), total, page: q.page, limit: q.limit, unacknowledged };
}

/** Marks an alert seen by a person. Errors: NOT_FOUND. */
export async function acknowledgeAlert(prisma: PrismaClient, id: string, userId: string | null, at: Date = new Date()): Promise<Alert> {
  const found = await prisma.alert.findUnique({ where: { id } });
  if (!found) throw new NotFoundError("alert", id);
  if (found.acknowledgedAt) return toAlert(found);
  return toAlert(await prisma.alert.update({ where: { id }, data: { acknowledgedAt: at, acknowledgedById: userId } }));
}

/** Records how the webhook's delivery of an alert went. */
export async function recordAlertDelivery(prisma: PrismaClient, id: string, outcome: { readonly delivery: AlertDelivery; readonly attempts: number; readonly error: string | null; readonly at?: Date }): Promise<void> {
  await prisma.alert.updateMany({
    where: { id },
    data: { delivery: outcome.delivery, deliveryAttempts: outcome.attempts, deliveryError: outcome.error?.slice(0, 1000) ?? null, ...(outcome.delivery === "delivered" && { deliveredAt: outcome.at ?? new Date() }) },
  });
}

/** The settings as stored (defaults for what was never set). */
export async function getAlertSettings(prisma: PrismaClient): Promise<AlertSettings> {
  const row = await prisma.setting.findUnique({ where: { key: SETTINGS_KEY } });
  if (!row) return DEFAULT_ALERT_SETTINGS;
  const parsed = AlertSettingsSchema.safeParse(row.value);
  return parsed.success ? parsed.data : DEFAULT_ALERT_SETTINGS;
}

/** Replaces the settings. Errors: INVALID (naming each field). */
export async function saveAlertSettings(prisma: PrismaClient, input: AlertSettingsInput): Promise<AlertSettings> {
  const settings = parseInput(AlertSettingsSchema, input, "alert settings");
  const value = toJson(settings);
  await prisma.setting.upsert({ where: { key: SETTINGS_KEY }, create: { key: SETTINGS_KEY, value }, update: { value } });
  return settings;
}

export interface RunWindowStats {
  readonly runs: number;
  readonly failed: number;
  readonly p95LatencyMs: number | null;
}

/** Finished runs that started in [from, to]: how many, how many failed, their p95 latency. */
export async function runWindowStats(prisma: PrismaClient, from: Date, to: Date): Promise<RunWindowStats> {
  const rows = await prisma.$queryRaw<{ runs: number; failed: number; p95: number | null }[]>(Prisma.sql`
    SELECT COUNT(*)::int AS runs,
      COUNT(*) FILTER (WHERE r."status" = 'error')::int AS failed,
      percentile_cont(0.95) WITHIN GROUP (ORDER BY r."latencyMs")::float8 AS p95
    FROM "Run" r WHERE r."startedAt" >= ${from} AND r."startedAt" <= ${to} AND r."status" <> 'running'`);
  const row = rows[0] ?? { runs: 0, failed: 0, p95: null };
  return { runs: row.runs, failed: row.failed, p95LatencyMs: row.p95 === null ? null : Math.round(Number(row.p95)) };
}

/** Alerts raised so far and those not acknowledged, by kind (for /metrics). */
export async function alertCounts(prisma: PrismaClient): Promise<{ readonly raised: Readonly<Record<string, number>>; readonly unacknowledged: Readonly<Record<string, number>> }> {
  const rows = await prisma.$queryRaw<{ kind: string; raised: number; unacknowledged: number }[]>(Prisma.sql`
    SELECT a."kind" AS kind, COUNT(*)::int AS raised, COUNT(*) FILTER (WHERE a."acknowledgedAt" IS NULL)::int AS unacknowledged
    FROM "Alert" a GROUP BY a."kind"`);
  return { raised: Object.fromEntries(rows.map((r) => [r.kind, r.raised])), unacknowledged: Object.fromEntries(rows.map((r) => [r.kind, r.unacknowledged])) };
}
