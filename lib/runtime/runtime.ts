import { Redis } from "ioredis";
import type { Config } from "../config";
import { openDatabase, type Database, type OpenDatabaseOptions } from "../db";
import type { Logger } from "../log";
import type { SystemStatus } from "../schemas";
import { createEventPipeline, EventBus, pruneOlderThan, retentionCutoffs, type EventPipeline, type EventPipelineOptions } from "./events";
import { createLMStack, type LMStack } from "./lm-stack";
import { createProgramResolver, loadProgramRegistry, syncPrograms, type ProgramRegistry, type ProgramResolver } from "./programs";
import { loadSkillRegistry, type SkillRegistry } from "./agents/registry";
import { createJobQueue, defaultJobs, type JobQueue } from "./jobs";
import { createApiKeyUsageRecorder, type ApiKeyUsageRecorder } from "./store";
import { startSupervisor, task, type Supervisor } from "./supervisor";
import { failRunsOfDeadInstances, forgetOldInstances, HEARTBEAT_MS, registerInstance } from "./instances";
import { dspexVersion } from "./version";

/** A long-lived part of the runtime. Services start in order and stop in reverse order. */
export interface Service {
  readonly name: string;
  stop(): Promise<void>;
}

export interface Runtime {
  readonly config: Config;
  readonly db: Database;
  readonly bus: EventBus;
  readonly events: EventPipeline;
  readonly log: Logger;
  readonly startedAt: Date;
  /** This process's RuntimeInstance id (stamped on the runs it starts). */
  readonly instanceId: string;
  /** The root of the supervision tree: every long-lived unit of work runs under it. */
  readonly supervisor: Supervisor;
  readonly programs: { readonly registry: ProgramRegistry; readonly resolver: ProgramResolver };
  /** Actions and skills agents can mount (programs folder and installed skill packages). */
  readonly skills: SkillRegistry;
  readonly lm: LMStack;
  readonly apiKeys: { readonly usage: ApiKeyUsageRecorder };
  /** Background work: in-process under the supervisor, or BullMQ on Redis when REDIS_URL is set. */
  readonly jobs: JobQueue;
  /** Registers a service to stop (in reverse order of registration) when the runtime stops. */
  register(service: Service): void;
  /** Tells the runtime how to count connected browsers (the realtime server lives in server.ts). */
  countRealtimeClientsWith(counter: () => number): void;
  status(): SystemStatus;
  /** Stops the supervision tree, drains every service (the event writer last), closes the database. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export interface RuntimeOptions {
  /** What this process is: a web server (default) or a job worker (npm run worker). */
  readonly kind?: "server" | "worker";
  /** Start the job queue (default true); a worker runs its own. */
  readonly startJobs?: boolean;
  /** A socket.io server to push events to besides the web server's (a worker's Redis emitter). */
  readonly io?: EventPipelineOptions["io"];
}

export async function startRuntime(config: Config, log: Logger, dbOptions: OpenDatabaseOptions = {}, options: RuntimeOptions = {}): Promise<Runtime> {
  const db = await openDatabase(config.database, {
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    ...dbOptions,
  });
  const instance = await registerInstance(db, options.kind ?? "server");
  await failRunsOfDeadInstances(db, instance.id, log);
  const services: Service[] = [];
  const bus = new EventBus();
  // First registered, last stopped: everything else may still emit while it stops.
  const events = createEventPipeline({ db, bus, log, writer: { instanceId: instance.id }, ...(options.io ? { io: options.io } : {}) });
  services.push(events);

  const supervisor = await startSupervisor({
    path: "root",
    flags: { strategy: "one_for_one", intensity: 10, periodMs: 60_000, backoff: { initialMs: 200, maxMs: 10_000, factor: 2, jitter: 0.2 } },
    onEvent: (event) => void bus.emit("supervisor:child", event).catch((err: unknown) => log.error({ err }, "supervisor event not recorded")),
  });

  // Actions and skills for agents (programs folder and installed skill packages; about 0.1 s of
  // reading package.json files) load while the programs load and sync.
  const skillsLoading = loadSkillRegistry({ programsDir: config.programsDir });
  skillsLoading.catch(() => {}); // awaited below; this only keeps a failure before then from going unhandled
  const registry = await loadProgramRegistry({ dir: config.programsDir, log });
  const sync = await syncPrograms(db.prisma, registry);
  log.info({ programs: sync.programs.length, failed: registry.errors.length }, "programs loaded");
  const resolver = createProgramResolver(db.prisma, registry);
  const skills = await skillsLoading;
  for (const error of skills.errors) log.warn(error, "a skill or action could not be loaded");
  log.info({ skills: skills.skills.size, actions: skills.actions.size, failed: skills.errors.length }, "skills loaded");

  // Scaled out: the per-minute LM limits are shared by every process on the same Redis.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: null }) : undefined;
  if (redis) {
    redis.on("error", (err: unknown) => log.warn({ err }, "redis (LM rate limits)"));
    services.push({ name: "redis", stop: async () => void redis.disconnect() });
  }
  const lm = createLMStack({
    config,
    db,
    log,
    ...(redis ? { redis } : {}),
    onEvent: (event) => void bus.emitEvent(event).catch((err: unknown) => log.error({ err }, "resource event not recorded")),
  });
  services.push({ name: "lm-stack", stop: async () => lm.stop() });
  const apiKeys = { usage: createApiKeyUsageRecorder(db.prisma) };
  services.push({ name: "api-key-usage", stop: () => apiKeys.usage.stop() });

  // Retention: old runs, spans, LM calls and agent events are deleted once a day, in batches.
  await supervisor.startChild({
    id: "retention",
    restart: "permanent",
    start: task(async (signal) => {
      while (!signal.aborted) {
        const report = await pruneOlderThan(db.sql, retentionCutoffs({ runsDays: config.retentionDays, agentEventsDays: config.retentionDays }), { signal });
        if (report.runs + report.spans + report.lmCalls + report.agentEvents > 0) log.info(report, "retention: old telemetry deleted");
        await sleep(DAY_MS, signal);
      }
    }),
  });

  // Liveness: a heartbeat every few seconds; runs of servers that died (another process on this
  // machine, or another machine gone silent) end as failures.
  await supervisor.startChild({
    id: "instance-heartbeat",
    restart: "permanent",
    start: task(async (signal) => {
      await forgetOldInstances(db);
      while (!signal.aborted) {
        await sleep(HEARTBEAT_MS, signal);
        if (signal.aborted) break;
        await instance.beat();
        await failRunsOfDeadInstances(db, instance.id, log);
      }
    }),
  });

  const startedAt = new Date();
  let stopping: Promise<void> | undefined;
  let realtimeClients = () => 0;
  const jobsSlot: { queue?: JobQueue } = {};

  const runtime: Runtime = {
    config,
    db,
    bus,
    events,
    log,
    startedAt,
    instanceId: instance.id,
    supervisor,
    programs: { registry, resolver },
    skills,
    lm,
    apiKeys,
    get jobs(): JobQueue {
      if (!jobsSlot.queue) throw new Error(options.startJobs === false ? "this runtime runs no job queue (started with startJobs: false)" : "the job queue is not started yet");
      return jobsSlot.queue;
    },
    register(service) {
      services.push(service);
    },
    countRealtimeClientsWith(counter) {
      realtimeClients = counter;
    },
    status() {
      const mem = process.memoryUsage();
      const now = new Date();
      return {
        version: dspexVersion(),
        startedAt: startedAt.toISOString(),
        now: now.toISOString(),
        uptimeSeconds: (now.getTime() - startedAt.getTime()) / 1000,
        database: {
          backend: db.backend,
          location: db.location,
          migrationsApplied: db.migrations.applied.length + db.migrations.alreadyApplied,
        },
        lm: config.lm.baseUrl
          ? { mode: "provider", baseUrl: config.lm.baseUrl, model: config.lm.model ?? null }
          : { mode: "demo", baseUrl: null, model: "dspex-demo (offline simulator)" },
        realtime: { clients: realtimeClients() },
        memory: { rssBytes: mem.rss, heapUsedBytes: mem.heapUsed },
      };
    },
    stop() {
      stopping ??= (async () => {
        // Running jobs go back to the queue first, so the next start resumes them from their checkpoints.
        await jobsSlot.queue?.stop().catch((err: unknown) => log.error({ err }, "job queue did not stop cleanly"));
        const report = await supervisor.stop("shutdown");
        for (const abandoned of report.abandoned) log.warn(abandoned, "a supervised child did not stop in time and was abandoned");
        for (const service of [...services].reverse()) {
          try {
            await service.stop();
            log.debug({ service: service.name }, "service stopped");
          } catch (err) {
            log.error({ err, service: service.name }, "service failed to stop cleanly");
          }
        }
        await instance.stop().catch((err: unknown) => log.warn({ err }, "could not mark this instance stopped"));
        await db.close();
      })();
      return stopping;
    },
  };
  if (options.startJobs === false) return runtime;
  const jobs = createJobQueue({
    prisma: db.prisma,
    jobs: defaultJobs(runtime),
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    concurrency: config.jobConcurrency,
    log,
    supervisor,
  });
  jobsSlot.queue = jobs;
  await jobs.start();
  return runtime;
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
