// Runs, newest first, filtered on indexed columns (program, version, status, API key, start time).
import type { Prisma, PrismaClient } from "../../db";
import type { Page } from "../../schemas/pagination";
import { RunListQuerySchema, type RunListQuery } from "../../schemas/runs";
import { isoOrNull, usd } from "./json";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";

export type RunStatus = "running" | "ok" | "error";
export type RunSource = "api" | "playground" | "optimization" | "evaluation" | "agent" | "script";

export interface RunSummary {
  readonly id: string;
  readonly traceId: string;
  readonly program: { readonly id: string; readonly name: string } | null;
  readonly version: { readonly id: string; readonly number: number } | null;
  readonly apiKey: { readonly id: string; readonly name: string; readonly prefix: string } | null;
  readonly optimizationId: string | null;
  readonly source: RunSource;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly latencyMs: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** One of its LM calls went to a model with no known price: its cost is unknown, not costUsd. */
  readonly priceUnknown: boolean;
}

export const runSummarySelect = {
  id: true,
  traceId: true,
  optimizationId: true,
  source: true,
  status: true,
  error: true,
  startedAt: true,
  endedAt: true,
  latencyMs: true,
  inputTokens: true,
  outputTokens: true,
  costUsd: true,
  program: { select: { id: true, name: true } },
  programVersion: { select: { id: true, number: true } },
  apiKey: { select: { id: true, name: true, prefix: true } },
  lmCalls: { where: { priceUnknown: true }, select: { id: true }, take: 1 },
} satisfies Prisma.RunSelect;

type SummaryRow = Prisma.RunGetPayload<{ select: typeof runSummarySelect }>;

export function toRunSummary(row: SummaryRow): RunSummary {
  return {
    id: row.id,
    traceId: row.traceId,
    program: row.program,
    version: row.programVersion,
    apiKey: row.apiKey,
    optimizationId: row.optimizationId,
    source: row.source,
    status: row.status,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    endedAt: isoOrNull(row.endedAt),
    latencyMs: row.latencyMs,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: usd(row.costUsd),
    priceUnknown: row.lmCalls.length > 0,
  };
}

/** Runs, newest first. An unknown program name gives an empty page. Errors: INVALID (query). */
export async function listRuns(prisma: PrismaClient, query: RunListQuery = {}): Promise<Page<RunSummary>> {
  const q = parseInput(RunListQuerySchema, query, "run list");
  let programId: string | undefined;
  if (q.programName) {
    const program = await prisma.program.findUnique({ where: { name: q.programName }, select: { id: true } });
    if (!program) return { items: [], total: 0, page: q.page, limit: q.limit };
    programId = program.id;
  }
  const where: Prisma.RunWhereInput = {
    ...(programId ? { programId } : {}),
    ...(q.versionId ? { programVersionId: q.versionId } : {}),
    ...(q.status ? { status: q.status } : {}),
    ...(q.source ? { source: q.source } : {}),
    ...(q.apiKeyId ? { apiKeyId: q.apiKeyId } : {}),
    ...(q.optimizationId ? { optimizationId: q.optimizationId } : {}),
    ...(q.from || q.to ? { startedAt: { ...(q.from ? { gte: q.from } : {}), ...(q.to ? { lt: q.to } : {}) } } : {}),
  };
  return readPage(
    prisma,
    q,
    (w) => prisma.run.findMany({ where, orderBy: [{ startedAt: "desc" }, { id: "desc" }], select: runSummarySelect, ...w }),
    () => prisma.run.count({ where }),
    toRunSummary,
  );
}

export interface RunFilterChoices {
  readonly programs: { readonly name: string }[];
  /** Versions of `programName` (empty without one). */
  readonly versions: { readonly id: string; readonly number: number }[];
  readonly apiKeys: { readonly id: string; readonly name: string; readonly prefix: string }[];
}

/** What the runs page's filters offer: programs, API keys, and the versions of the chosen program. */
export async function runFilterChoices(prisma: PrismaClient, programName?: string): Promise<RunFilterChoices> {
  const [programs, apiKeys, versions] = await Promise.all([
    prisma.program.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 500 }),
    prisma.apiKey.findMany({ select: { id: true, name: true, prefix: true }, orderBy: { createdAt: "desc" }, take: 200 }),
    programName
      ? prisma.programVersion.findMany({ where: { program: { name: programName } }, select: { id: true, number: true }, orderBy: { number: "desc" }, take: 200 })
      : Promise.resolve([]),
  ]);
  return { programs, apiKeys, versions };
}
