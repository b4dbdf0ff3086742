import { Redis } from "ioredis";
import type { Config } from "../config";
import { openDatabase, type Database, type OpenDatabaseOptions } from "../db";
import type { Logger } from "../log";
import type { SystemStatus } from "../schemas";
import { createEventPipeline, EventBus, pruneOlderThan, retentionCutoffs, type EventPipeline, type EventPipelineOptions } from "./events";
import { createChangeFeed, withChangeEvents, type ChangeFeed } from "./changes";
import { createLMStack, type LMStack } from "./lm-stack";
import { createLiveProgramRegistry, createProgramResolver, loadProgramRegistry, syncPrograms, watchPrograms, type LiveProgramRegistry, type ProgramResolver, type ProgramWatcher } from "./programs";
import { loadSkillRegistry, type SkillRegistry } from "./agents/registry";
import { createMarketplace, type Marketplace } from "./marketplace";
import { configureSandboxPool } from "./agents/sandbox";
import { loadAgentSystems, startAgentSystems, type AgentSystemsService } from "./agents/systems";
import { composeLM } from "../dspex";
import { withRunPerCall } from "./events";
import { defaultJobs } from "./default-jobs";
import { createJobQueue, type JobQueue } from "./jobs";
import { createApiKeyUsageRecorder, createStore, type ApiKeyUsageRecorder, type Store } from "./store";
import { startSupervisor, task, type Supervisor } from "./supervisor";
import { sleep } from "./abortable-sleep";
import { failRunsOfDeadInstances, forgetOldInstances, HEARTBEAT_MS, otherLiveInstances, registerInstance } from "./instances";
import { reconcileLedger } from "./resources";
import { dspexVersion } from "./version";
import { createSecretBox, type SecretBox } from "./secrets";
import { createAlertMonitor, type AlertMonitor } from "./alerts";

/** A long-lived part of the runtime. Services start in order and stop in reverse order. */
export interface Service {
  readonly name: string;
  stop(): Promise<void>;
}

export interface Runtime {
  readonly config: Config;
  readonly db: Database;
  /** Every read and write of the database by the serving API and the pages. */
  readonly store: Store;
  readonly bus: EventBus;
  /** Configuration changes (versions, promotions, budgets, datasets, providers, prices, keys, users) from every process. */
  readonly changes: ChangeFeed;
  readonly events: EventPipeline;
  readonly log: Logger;
  readonly startedAt: Date;
  /** This process's RuntimeInstance id (stamped on the runs it starts). */
  readonly instanceId: string;
  /** The root of the supervision tree: every long-lived unit of work runs under it. */
  readonly supervisor: Supervisor;
  /** The registry follows the programs folder (reloaded on change unless DSPEX_WATCH_PROGRAMS=false). */
  readonly programs: { readonly registry: LiveProgramRegistry; readonly resolver: ProgramResolver; readonly watcher: ProgramWatcher | undefined };
  /** Actions and skills agents can mount (programs folder and installed skill packages). */
  readonly skills: SkillRegistry;
  /** The agent systems declared in the programs folder: running in this process, or placed over the cluster (Redis). */
  readonly agentSystems: AgentSystemsService;
  /** Which actions may run (skill packages' are off until an administrator enables them); every call counted. */
  readonly marketplace: Marketplace;
  readonly lm: LMStack;
  /** Seals and opens secrets at rest (provider keys and headers). */
  readonly secrets: SecretBox;
  readonly apiKeys: { readonly usage: ApiKeyUsageRecorder };
  /** Background work: in-process under the supervisor, or BullMQ on Redis when REDIS_URL is set. */
  readonly jobs: JobQueue;
  /** Raises alerts (budgets, error rate, latency, breakers, failed optimizations) and sends them to the webhook. */
  readonly alerts: AlertMonitor;
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
  /** Cluster timings for the agent systems (tests shorten them). */
  readonly cluster?: { readonly heartbeatMs?: number; readonly nodeTtlMs?: number; readonly tickMs?: number; readonly blockMs?: number };
}

export async function startRuntime(config: Config, log: Logger, dbOptions: OpenDatabaseOptions = {}, options: RuntimeOptions = {}): Promise<Runtime> {
  const db = await openDatabase(config.database, {
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    ...dbOptions,
  });
  // Sandboxed code (agents' tests, third-party actions) never gets more memory than configured.
  await configureSandboxPool({ maxMemoryBytes: config.sandbox.maxMemoryBytes });
  const instance = await registerInstance(db, options.kind ?? "server");
  await failRunsOfDeadInstances(db, instance.id, log);
  // A process that died left its reservations (estimates of calls in flight) in the budget
  // ledger as spend; alone on the database, this one sets the ledger to the recorded spend.
  if (!(await otherLiveInstances(db, instance.id))) {
    const rows = await reconcileLedger(db);
    if (rows > 0) log.warn({ rows }, "budget ledger set to the recorded spend (a stopped process had reservations in it)");
  }
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
  // Every action passes the marketplace's gate: your own (programs folder) are on by default,
  // installed skill packages' are off until an administrator enables them.
  const marketplace = await createMarketplace(db.prisma, { log });
  services.push({ name: "marketplace", stop: () => marketplace.stop() });
  const skillsLoading = loadSkillRegistry({ programsDir: config.programsDir, governance: marketplace.governance });
  skillsLoading.catch(() => {}); // awaited below; this only keeps a failure before then from going unhandled
  const loggedLoadErrors = new Set<string>();
  const registry = createLiveProgramRegistry(await loadProgramRegistry({ dir: config.programsDir, log, logged: loggedLoadErrors }));
  const sync = await syncPrograms(db.prisma, registry);
  log.info({ programs: sync.programs.length, failed: registry.errors.length }, "programs loaded");
  const resolver = createProgramResolver(db.prisma, registry);
  const skills = await skillsLoading;
  marketplace.useRegistry(skills);
  services.push({ name: "skill-packages", stop: () => skills.close() });
  const declaredSystems = await loadAgentSystems({ programsDir: config.programsDir, lookup: skills });
  for (const error of declaredSystems.errors) log.warn(error, "an agent system could not be loaded");
  for (const error of skills.errors) log.warn(error, "a skill or action could not be loaded");
  log.info({ skills: skills.skills.size, actions: skills.actions.size, failed: skills.errors.length }, "skills loaded");

  // Scaled out: the per-minute LM limits are shared by every process on the same Redis.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: null }) : undefined;
  if (redis) {
    redis.on("error", (err: unknown) => log.warn({ err }, "redis (LM rate limits)"));
    services.push({ name: "redis", stop: async () => void redis.disconnect() });
  }
  const secrets = createSecretBox({ ...(config.secretKey && { key: config.secretKey }), dataDir: config.database.dataDir });
  // Every process hears of every configuration change within a second: Redis when scaled out,
  // PostgreSQL's notifications on one database, in-process on PGlite (one process owns it).
  const changes = await createChangeFeed({
    ...(redis ? { redis: { client: redis, prefix: config.redisPrefix } } : {}),
    ...(db.backend === "postgres" && config.database.url ? { postgresUrl: config.database.url } : {}),
    onError: (err, context) => log.warn({ err }, `change feed: ${context}`),
  });
  services.push({ name: "change-feed", stop: () => changes.close() });
  // A reload may change a program's code or make a new version active: every cache of it, here and
  // in other processes, hears of it through the change feed.
  const watcher =
    config.watchPrograms === false
      ? undefined
      : watchPrograms({
          dir: config.programsDir,
          registry,
          resolver,
          prisma: db.prisma,
          log,
          logged: loggedLoadErrors,
          onReloaded: (report) => {
            for (const p of report.programs) changes.publish({ kind: p.createdVersionForChange !== undefined ? "promotion" : "version", id: p.activeVersionId, program: p.name });
          },
        });
  if (watcher) services.push({ name: "program-watcher", stop: () => watcher.stop() });
  const lm = createLMStack({
    config,
    db,
    log,
    secrets,
    ...(redis ? { redis } : {}),
    onEvent: (event) => void bus.emitEvent(event).catch((err: unknown) => log.error({ err }, "resource event not recorded")),
  });
  services.push({ name: "lm-stack", stop: async () => lm.stop() });
  const store = withChangeEvents(createStore(db.prisma), changes);
  // Workers raise alerts for what they see (budgets, breakers, optimizations); the web server also
  // watches the runs' error rate and latency.
  const alerts = createAlertMonitor({ store, bus, log, watchRuns: (options.kind ?? "server") === "server" });
  services.push({ name: "alerts", stop: () => alerts.stop() });
  changes.subscribe((change) => {
    if (change.kind === "alert" && change.id === "settings") alerts.settingsChanged();
    if (change.kind === "budget") lm.refreshBudgets();
    if (change.kind === "price") lm.refreshPrices().catch((err: unknown) => log.warn({ err }, "prices not reloaded after a change"));
    if (change.kind === "provider") lm.refreshProviders().catch((err: unknown) => log.warn({ err }, "providers not reloaded after a change"));
  });
  // Declared agent systems: under the root supervisor here, or placed over the cluster's processes.
  const agentSystems = await startAgentSystems({
    systems: declaredSystems.systems,
    loadErrors: declaredSystems.errors,
    supervisor,
    lm: composeLM(lm.forScopes({}, "background"), withRunPerCall(bus, { source: "agent" }, lm.describeCall)),
    publish: (state) => void bus.emit("agent:state", state).catch(() => {}),
    govern: skills.govern,
    log,
    ...(config.redisUrl && { cluster: { redisUrl: config.redisUrl, prefix: `${config.redisPrefix}:agents`, ...options.cluster } }),
  });
  services.push({ name: "agent-systems", stop: () => agentSystems.close() });
  log.info({ systems: declaredSystems.systems.length, mode: agentSystems.mode }, "agent systems started");
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
    store,
    bus,
    changes,
    events,
    log,
    startedAt,
    instanceId: instance.id,
    supervisor,
    programs: { registry, resolver, watcher },
    skills,
    agentSystems,
    marketplace,
    lm,
    secrets,
    apiKeys,
    alerts,
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
        lm: lmStatus(lm),
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
    ...(config.redisUrl ? { redisUrl: config.redisUrl, prefix: config.redisPrefix } : {}),
    concurrency: config.jobConcurrency,
    log,
    supervisor,
  });
  jobsSlot.queue = jobs;
  await jobs.start();
  return runtime;
}

/** The provider a call naming no model goes to (the environment's first), or the demo model. */
function lmStatus(lm: LMStack): SystemStatus["lm"] {
  const first = lm.providers[0];
  if (!first) return { mode: "demo", baseUrl: null, model: "dspex-demo (offline simulator)" };
  const others = lm.providers.length - 1;
  return { mode: "provider", baseUrl: `${first.name}: ${first.baseUrl}${others > 0 ? ` (+${others} more)` : ""}`, model: first.defaultModel ?? null };
}
