// One run's trace: the run, its spans as a tree, and its LM calls with the exact messages.
import type { Prisma, PrismaClient } from "../../db";
import { NotFoundError } from "./errors";
import { isoOrNull, usd } from "./json";
import { runSummarySelect, toRunSummary, type RunStatus, type RunSummary } from "./runs";

export interface LMCallView {
  readonly id: string;
  readonly spanId: string | null;
  readonly provider: string;
  readonly model: string;
  readonly usage: {
    readonly inputTokens: number;
    readonly cachedInputTokens: number;
    readonly cacheWriteTokens: number;
    readonly outputTokens: number;
    readonly reasoningTokens: number;
  };
  readonly costUsd: number;
  readonly priceUnknown: boolean;
  readonly refused: boolean;
  readonly latencyMs: number;
  readonly cacheHit: boolean;
  readonly retries: number;
  readonly adapter: string | null;
  readonly attempt: number | null;
  readonly error: string | null;
  /** The exact request messages and the raw reply. */
  readonly request: unknown;
  readonly response: unknown;
  readonly createdAt: string;
}

export interface SpanNode {
  readonly id: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly kind: string;
  readonly path: string | null;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  readonly attributes: unknown;
  readonly inputs: unknown;
  readonly outputs: unknown;
  readonly error: string | null;
  /** LM calls made inside this span. */
  readonly lmCalls: readonly LMCallView[];
  readonly children: readonly SpanNode[];
}

export interface Trace {
  readonly run: RunSummary & { readonly input: unknown; readonly output: unknown; readonly usage: unknown };
  /** Root spans (spans whose parent is not in the run are roots too), children in start order. */
  readonly spans: readonly SpanNode[];
  /** Every LM call of the run in time order, including those outside any span. */
  readonly lmCalls: readonly LMCallView[];
}

type LMCallRow = Prisma.LMCallGetPayload<object>;

function toLMCall(c: LMCallRow): LMCallView {
  return {
    id: c.id,
    spanId: c.spanId,
    provider: c.provider,
    model: c.model,
    usage: {
      inputTokens: c.inputTokens,
      cachedInputTokens: c.cachedInputTokens,
      cacheWriteTokens: c.cacheWriteTokens,
      outputTokens: c.outputTokens,
      reasoningTokens: c.reasoningTokens,
    },
    costUsd: usd(c.costUsd),
    priceUnknown: c.priceUnknown,
    refused: c.refused,
    latencyMs: c.latencyMs,
    cacheHit: c.cacheHit,
    retries: c.retries,
    adapter: c.adapter,
    attempt: c.attempt,
    error: c.error,
    request: c.request,
    response: c.response,
    createdAt: c.createdAt.toISOString(),
  };
}

/** A run's trace, by run id or trace id. Errors: NOT_FOUND. */
export async function getTrace(prisma: PrismaClient, runOrTraceId: string): Promise<Trace> {
  const run = await prisma.run.findFirst({
    where: { OR: [{ id: runOrTraceId }, { traceId: runOrTraceId }] },
    select: { ...runSummarySelect, input: true, output: true, usage: true },
  });
  if (!run) throw new NotFoundError("run", runOrTraceId, "runId");
  const [spans, calls] = await prisma.$transaction([
    prisma.span.findMany({ where: { runId: run.id }, orderBy: [{ startedAt: "asc" }, { id: "asc" }] }),
    prisma.lMCall.findMany({ where: { runId: run.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }),
  ]);
  const lmCalls = calls.map(toLMCall);
  const callsBySpan = new Map<string, LMCallView[]>();
  for (const c of lmCalls) if (c.spanId) callsBySpan.set(c.spanId, [...(callsBySpan.get(c.spanId) ?? []), c]);

  const ids = new Set(spans.map((s) => s.id));
  const childrenOf = new Map<string | null, typeof spans>();
  for (const s of spans) {
    const parent = s.parentId && ids.has(s.parentId) && s.parentId !== s.id ? s.parentId : null;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), s]);
  }
  const visited = new Set<string>();
  const build = (parent: string | null): SpanNode[] =>
    (childrenOf.get(parent) ?? [])
      .filter((s) => !visited.has(s.id) && visited.add(s.id))
      .map((s) => ({
        id: s.id,
        parentId: s.parentId,
        name: s.name,
        kind: s.kind,
        path: s.path,
        status: s.status,
        startedAt: s.startedAt.toISOString(),
        endedAt: isoOrNull(s.endedAt),
        durationMs: s.endedAt ? s.endedAt.getTime() - s.startedAt.getTime() : null,
        attributes: s.attributes,
        inputs: s.inputs,
        outputs: s.outputs,
        error: s.error,
        lmCalls: callsBySpan.get(s.id) ?? [],
        children: build(s.id),
      }));
  const roots = build(null);
  // Spans whose parents form a cycle are never reached from a root: show them as roots.
  for (const s of spans) if (!visited.has(s.id)) roots.push(...build(s.parentId));
  return { run: { ...toRunSummary(run), input: run.input, output: run.output, usage: run.usage }, spans: roots, lmCalls };
}
