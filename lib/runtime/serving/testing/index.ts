// For tests and benchmarks of the serving API: in-memory versions of the runtime parts it is
// given (run tracer, API-key limiter, budgets, job queue), programs that fail, a real HTTP server,
// and createTestServing, which wires them with the demo programs and the offline demo model.
import { withChangeEvents, type ChangeFeed } from "../../changes";
import type { PrismaClient } from "../../../db";
import { createStore } from "../../store";
import { composeLM, createDemoLM, createPriceTable, withCostMeter, type DemoLMOptions, type LM } from "../../../dspex";
import { createProgramRegistry, createProgramResolver, demoPrograms, syncPrograms, type ProgramRegistry, type ProgramResolver, type RegisteredProgram } from "../../programs";
import { createServingApi, type ServingApi } from "../api";
import type { ServingOptionsInput } from "../options";
import type { ServingDeps } from "../types";
import { createMemoryBudgets, type MemoryBudgets } from "./budgets";
import { createMemoryJobs, type MemoryJobs } from "./jobs";
import { createMemoryLimiter, type MemoryLimiter } from "./limiter";
import { failingPrograms } from "./programs";
import { createRecordingTracers, type RecordingTracers } from "./run-tracers";

export { createRecordingTracers, type RecordingTracers, type RecordedRun, type RecordedSpan } from "./run-tracers";
export { createMemoryLimiter, type MemoryLimiter } from "./limiter";
export { createMemoryBudgets, TestBudgetExceededError, type MemoryBudgets, type TestBudgetScope } from "./budgets";
export { createMemoryJobs, type MemoryJobs, type MemoryJob } from "./jobs";
export { failingPrograms } from "./programs";
export { startTestServer, FALLBACK_BODY, type TestServer } from "./server";
export { callApi, errorOf, bodyOf, type ApiReply, type CallOptions } from "./client";

export interface TestServingOptions {
  readonly prisma: PrismaClient;
  readonly options?: ServingOptionsInput;
  readonly now?: () => number;
  /** Requests per minute for keys without their own limit (default 1 000 000). */
  readonly defaultPerMinute?: number;
  readonly demoLM?: DemoLMOptions;
  /** The model behind every run (default: the demo model with a cost meter). */
  readonly lm?: LM;
  /** Default: the demo programs and failingPrograms(). */
  readonly programs?: readonly RegisteredProgram[];
  /** Record runs in the database (default true). */
  readonly persistRuns?: boolean;
  /** The load-shedding signal (an event-loop guard). */
  readonly overload?: ServingDeps["overload"];
  /** A change feed: the store publishes its configuration writes on it and the API's caches follow it. */
  readonly changes?: ChangeFeed;
  /** Told of sessions that ended (sign-out, disabled account). */
  readonly onSessionsEnded?: ServingDeps["onSessionsEnded"];
}

export interface TestServing {
  readonly api: ServingApi;
  readonly deps: ServingDeps;
  readonly registry: ProgramRegistry;
  readonly resolver: ProgramResolver;
  readonly lm: LM;
  readonly tracers: RecordingTracers;
  readonly limiter: MemoryLimiter;
  readonly budgets: MemoryBudgets;
  readonly jobs: MemoryJobs;
  readonly errors: unknown[];
}

/** Syncs the programs into the database and builds the API over in-memory runtime parts. */
export async function createTestServing(o: TestServingOptions): Promise<TestServing> {
  const registry = createProgramRegistry(o.programs ?? [...demoPrograms(), ...failingPrograms()]);
  await syncPrograms(o.prisma, registry);
  const resolver = createProgramResolver(o.prisma, registry);
  const lm = o.lm ?? composeLM(createDemoLM(o.demoLM), withCostMeter({ prices: createPriceTable({ seed: false }) }));
  const tracers = createRecordingTracers({ ...(o.persistRuns !== false && { prisma: o.prisma }), ...(o.now && { now: o.now }) });
  const limiter = createMemoryLimiter({ defaultPerMinute: o.defaultPerMinute ?? 1_000_000, ...(o.now && { now: o.now }) });
  const budgets = createMemoryBudgets();
  const jobs = createMemoryJobs();
  const errors: unknown[] = [];
  const deps: ServingDeps = {
    store: o.changes ? withChangeEvents(createStore(o.prisma), o.changes) : createStore(o.prisma),
    ...(o.changes && { changes: o.changes }),
    registry,
    resolver,
    lmFor: (scopes) => composeLM(lm, budgets.middleware(scopes)),
    createRunTracer: tracers.create,
    limiter,
    jobs,
    ...(o.options && { options: o.options }),
    ...(o.now && { now: o.now }),
    ...(o.overload && { overload: o.overload }),
    ...(o.onSessionsEnded && { onSessionsEnded: o.onSessionsEnded }),
    onError: (err) => errors.push(err),
  };
  return { api: createServingApi(deps), deps, registry, resolver, lm, tracers, limiter, budgets, jobs, errors };
}
