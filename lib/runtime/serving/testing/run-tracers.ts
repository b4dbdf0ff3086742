// An in-memory run tracer for tests and benchmarks, faithful to the runtime's: spans and LM calls
// are collected as the program runs, open spans close as errors at finish, totals come from the
// LM calls, and (given a database) finish writes the run, its spans and LM calls as the event
// writer would, so the runs and trace routes read them back.
import { randomBytes, randomUUID } from "node:crypto";
import type { PrismaClient } from "../../../db";
import type { LMCallRecord, SpanEnd, SpanStart, Tracer } from "../../../dspex";
import type { Usage } from "../../../schemas";
import type { RunTotals, RunTracerInit, ServingRunTracer } from "../types";

export interface RecordedSpan extends SpanStart {
  readonly id: string;
  readonly startedAt: number;
  endedAt?: number;
  status: "running" | "ok" | "error";
  outputs?: unknown;
  error?: string;
}

export interface RecordedRun {
  readonly init: RunTracerInit;
  readonly runId: string;
  readonly traceId: string;
  readonly startedAt: number;
  readonly spans: RecordedSpan[];
  readonly lmCalls: LMCallRecord[];
  status: "running" | "ok" | "error";
  output?: unknown;
  error?: string;
  /** How many times finish() was called (the contract: exactly once). */
  finishCalls: number;
}

export interface RecordingTracers {
  readonly create: (init: RunTracerInit) => ServingRunTracer;
  readonly runs: RecordedRun[];
  /** Runs started and not finished. */
  inFlight(): number;
  /** The most runs in flight at once so far. */
  readonly maxInFlight: number;
  /** Makes the next finish() reject (a recording failure). */
  failNextFinish(reason: string): void;
  /** Makes the next create() throw (the event stream is closed). */
  failNextStart(reason: string): void;
}

const ZERO: Usage = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

const json = (value: unknown) => (value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as object));

async function persist(prisma: PrismaClient, run: RecordedRun, totals: RunTotals, endedAt: number): Promise<void> {
  await prisma.$transaction([
    prisma.run.create({
      data: {
        id: run.runId,
        traceId: run.traceId,
        programId: run.init.programId,
        programVersionId: run.init.versionId,
        apiKeyId: run.init.apiKeyId,
        source: run.init.source,
        status: run.status === "ok" ? "ok" : "error",
        input: json(run.init.input) ?? {},
        tags: [...(run.init.tags ?? [])],
        userId: run.init.userId ?? null,
        sessionId: run.init.sessionId ?? null,
        ...(run.output !== undefined && { output: json(run.output) }),
        error: run.error ?? null,
        startedAt: new Date(run.startedAt),
        endedAt: new Date(endedAt),
        latencyMs: Math.round(totals.latencyMs),
        inputTokens: totals.usage.inputTokens,
        outputTokens: totals.usage.outputTokens,
        usage: totals.usage,
        costUsd: totals.costUsd.toFixed(9),
      },
    }),
    prisma.span.createMany({
      data: run.spans.map((s) => ({
        id: s.id,
        runId: run.runId,
        parentId: s.parentId ?? null,
        name: s.name,
        kind: s.kind,
        path: s.path ?? null,
        status: s.status === "ok" ? ("ok" as const) : ("error" as const),
        startedAt: new Date(s.startedAt),
        endedAt: new Date(s.endedAt ?? endedAt),
        ...(s.attributes !== undefined && { attributes: json(s.attributes) }),
        ...(s.inputs !== undefined && { inputs: json(s.inputs) }),
        ...(s.outputs !== undefined && { outputs: json(s.outputs) }),
        error: s.error ?? null,
      })),
    }),
    prisma.lMCall.createMany({
      data: run.lmCalls.map((c) => ({
        id: c.id,
        runId: run.runId,
        spanId: c.spanId ?? null,
        programId: run.init.programId,
        apiKeyId: run.init.apiKeyId,
        provider: c.provider,
        model: c.model,
        inputTokens: c.usage.inputTokens,
        outputTokens: c.usage.outputTokens,
        costUsd: c.costUsd.toFixed(9),
        latencyMs: Math.round(c.latencyMs),
        cacheHit: c.cacheHit,
        retries: c.retries,
        adapter: c.adapter,
        attempt: c.attempt,
        error: c.error ?? null,
        request: json({ messages: c.messages }),
        ...(c.text !== undefined && { response: { text: c.text } }),
        createdAt: new Date(c.startedAt),
      })),
    }),
  ]);
}

/** Tracers that record every run in `runs` (and in the database when `prisma` is given). */
export function createRecordingTracers(options: { readonly prisma?: PrismaClient; readonly now?: () => number } = {}): RecordingTracers {
  const now = options.now ?? Date.now;
  const runs: RecordedRun[] = [];
  let live = 0;
  let maxInFlight = 0;
  let failure: string | undefined;
  let startFailure: string | undefined;

  const create = (init: RunTracerInit): ServingRunTracer => {
    if (startFailure !== undefined) {
      const reason = startFailure;
      startFailure = undefined;
      throw new Error(reason);
    }
    const run: RecordedRun = { init, runId: randomUUID(), traceId: randomBytes(16).toString("hex"), startedAt: now(), spans: [], lmCalls: [], status: "running", finishCalls: 0 };
    runs.push(run);
    maxInFlight = Math.max(maxInFlight, ++live);
    const open = new Map<string, RecordedSpan>();
    const tracer: Tracer = {
      startSpan(start) {
        const span: RecordedSpan = { ...start, id: randomUUID(), startedAt: now(), status: "running" };
        open.set(span.id, span);
        run.spans.push(span);
        return span.id;
      },
      endSpan(id, end: SpanEnd) {
        const span = open.get(id);
        if (!span) return;
        open.delete(id);
        Object.assign(span, { endedAt: now(), status: end.status, outputs: end.outputs, error: end.error });
      },
      recordLMCall(call) {
        run.lmCalls.push(call);
      },
    };
    return {
      tracer,
      runId: run.runId,
      traceId: run.traceId,
      async finish(status, output, error) {
        run.finishCalls++;
        if (run.finishCalls > 1) throw new Error(`run ${run.runId}: finish() called ${run.finishCalls} times`);
        live--;
        const endedAt = now();
        for (const span of open.values()) Object.assign(span, { endedAt, status: "error", error: "the run ended before this span did" });
        open.clear();
        Object.assign(run, { status, output, error });
        const totals: RunTotals = {
          usage: run.lmCalls.reduce((u, c) => addUsage(u, c.usage), ZERO),
          costUsd: run.lmCalls.reduce((s, c) => s + (c.costUsd > 0 ? c.costUsd : 0), 0),
          latencyMs: Math.max(0, endedAt - run.startedAt),
        };
        if (failure !== undefined) {
          const reason = failure;
          failure = undefined;
          throw new Error(reason);
        }
        if (options.prisma) await persist(options.prisma, run, totals, endedAt);
        return totals;
      },
    };
  };

  return {
    create,
    runs,
    inFlight: () => live,
    get maxInFlight() {
      return maxInFlight;
    },
    failNextFinish(reason) {
      failure = reason;
    },
    failNextStart(reason) {
      startFailure = reason;
    },
  };
}
