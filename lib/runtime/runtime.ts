import type { Config } from "../config";
import { openDatabase, type Database, type OpenDatabaseOptions } from "../db";
import type { Logger } from "../log";
import type { SystemStatus } from "../schemas";
import { EventBus } from "./events";
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
  readonly log: Logger;
  readonly startedAt: Date;
  /** Registers a service to stop (in reverse order of registration) when the runtime stops. */
  register(service: Service): void;
  /** Tells the runtime how to count connected browsers (the realtime server lives in server.ts). */
  countRealtimeClientsWith(counter: () => number): void;
  status(): SystemStatus;
  /** Drains and stops every service, then closes the database. Safe to call more than once. */
  stop(): Promise<void>;
}

export async function startRuntime(config: Config, log: Logger, dbOptions: OpenDatabaseOptions = {}): Promise<Runtime> {
  const db = await openDatabase(config.database, {
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    ...dbOptions,
  });
  const services: Service[] = [];
  const bus = new EventBus();
  const startedAt = new Date();
  let stopping: Promise<void> | undefined;
  let realtimeClients = () => 0;

  return {
    config,
    db,
    bus,
    log,
    startedAt,
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
        for (const service of [...services].reverse()) {
          try {
            await service.stop();
            log.debug({ service: service.name }, "service stopped");
          } catch (err) {
            log.error({ err, service: service.name }, "service failed to stop cleanly");
          }
        }
        await db.close();
      })();
      return stopping;
    },
  };
}
