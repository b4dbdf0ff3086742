// Live reload: the programs folder is watched, and a change (debounced, so an editor's save is one
// reload) imports every program file again, syncs the result (a new version when a program's
// defaults changed) and swaps it into the live registry. A file that now fails keeps its last
// good programs serving, and its error shows in the registry until it is fixed. Reloads run one
// at a time; changes during one lead to one more.
import { watch, type FSWatcher } from "node:fs";
import type { PrismaClient } from "../../db";
import { loadErrorKey, loadProgramRegistry, type LoadProgramsOptions } from "./load-programs";
import type { LiveProgramRegistry } from "./registry";
import type { ProgramResolver } from "./resolve";
import { syncPrograms, type SyncReport } from "./sync";

export interface ProgramWatcherOptions {
  readonly dir: string;
  readonly registry: LiveProgramRegistry;
  readonly resolver: ProgramResolver;
  readonly prisma: PrismaClient;
  readonly log: NonNullable<LoadProgramsOptions["log"]> & { warn(obj: object, msg: string): void };
  /** Failures logged so far (shared with the first load, so each is logged once). */
  readonly logged: Set<string>;
  readonly debounceMs?: number;
  readonly demos?: boolean;
  readonly root?: string;
  /** Told after each reload is live, so other processes and caches drop what they hold. */
  readonly onReloaded?: (report: SyncReport) => void;
}

export interface ProgramWatcher {
  /** Reloads now (what a change triggers); resolves with what the sync did. */
  reload(): Promise<SyncReport>;
  stop(): Promise<void>;
}

const WATCHED = /\.(ts|mts|tsx|js|mjs|json)$/;

export function watchPrograms(options: ProgramWatcherOptions): ProgramWatcher {
  const { registry, log } = options;
  let generation = 0;
  let running: Promise<SyncReport> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const reloadOnce = async (): Promise<SyncReport> => {
    generation += 1;
    const next = await loadProgramRegistry({
      dir: options.dir,
      log,
      logged: options.logged,
      reload: { generation, previous: registry },
      ...(options.demos !== undefined && { demos: options.demos }),
      ...(options.root !== undefined && { root: options.root }),
    });
    const report = await syncPrograms(options.prisma, next);
    options.resolver.clear();
    const before = new Set(registry.programs.map((p) => p.name));
    registry.replace(next);
    options.onReloaded?.(report);
    for (const p of report.programs) {
      if (p.createdVersionForChange !== undefined) log.info({ program: p.name, version: p.createdVersionForChange }, `program ${p.name} reloaded: version ${p.createdVersionForChange} is active`);
      else if (!before.has(p.name)) log.info({ program: p.name }, `program ${p.name} loaded`);
    }
    // A fixed file's error may come back later: it is logged again then.
    const current = new Set(next.errors.map(loadErrorKey));
    for (const key of [...options.logged]) if (!current.has(key)) options.logged.delete(key);
    return report;
  };

  const reload = (): Promise<SyncReport> => {
    if (running) {
      again = true;
      return running;
    }
    running = reloadOnce().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        void reload().catch((err: unknown) => log.error({ err }, "programs could not be reloaded"));
      }
    });
    return running;
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(options.dir, { persistent: false }, (_event, name) => {
      if (stopped || (name !== null && !WATCHED.test(name))) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload().catch((err: unknown) => log.error({ err }, "programs could not be reloaded")), options.debounceMs ?? 150);
    });
    watcher.on("error", (err) => log.warn({ err, dir: options.dir }, "the programs folder is no longer watched"));
  } catch (err) {
    log.warn({ err, dir: options.dir }, "the programs folder cannot be watched: changes need a restart");
  }

  return {
    reload,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      await running?.catch(() => {});
    },
  };
}
