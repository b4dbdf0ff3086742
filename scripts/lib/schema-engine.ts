// Prisma's schema engine compiled to WASM, driven over in-memory PGlite. Development-time only:
// it writes migrations (`npm run db:generate`) and lets tests check that our migration
// bookkeeping is the one `prisma migrate deploy` expects. The running product never loads it.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");
export const SCHEMA_FILE = path.resolve(import.meta.dirname, "../../prisma/schema.prisma");

/** Loads the migrations folder in the shape the engine expects. */
export async function loadMigrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockPath = path.join(dir, "migration_lock.toml");
  const lock = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lock },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      entries.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(dir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (err: Error) => ({ tag: "error" as const, value: err.message }),
          ),
        },
      })),
    ),
  };
}

/**
 * PGlite's adapter does not await `exec` in executeScript (a failing script would pass
 * silently), and the engine never closes the connections it opens; both are fixed here.
 */
class TrackedPGliteFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres" as const;
  readonly adapterName = "pglite-tracked";
  private readonly opened: PGlite[] = [];
  constructor(private readonly main: PGlite) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.wrap(this.main);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = new PGlite();
    this.opened.push(shadow);
    return this.wrap(shadow);
  }

  private async wrap(client: PGlite): Promise<SqlDriverAdapter> {
    const adapter = await new PrismaPGlite(client).connect();
    adapter.executeScript = async (script: string) => {
      await client.exec(script);
    };
    return adapter;
  }

  async close(): Promise<void> {
    await Promise.all(this.opened.map((db) => db.close()));
  }
}

type EngineModule = { SchemaEngine: typeof SchemaEngine };
let engineModule: Promise<EngineModule> | undefined;

/**
 * The wasm-bindgen glue keeps module-level state (the instance, cached views of its memory),
 * so the WASM is instantiated once per process and shared by every engine.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm")), "schema_engine_bg.wasm");
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return engineModule;
}

export interface EngineHandle {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/**
 * Starts the WASM schema engine against a database: a PGlite instance (in-memory unless one is
 * given) or any migration-aware adapter factory (for example PrismaPg for a real server).
 */
export async function startSchemaEngine(
  target: PGlite | (SqlMigrationAwareDriverAdapterFactory & { close?(): Promise<void> }) = new PGlite(),
): Promise<EngineHandle> {
  const bg = await loadEngineModule();
  const factory = target instanceof PGlite ? new TrackedPGliteFactory(target) : target;
  const schema = await readFile(SCHEMA_FILE, "utf8");
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[SCHEMA_FILE, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  return {
    engine,
    async close() {
      engine.free();
      await factory.close?.();
    },
  };
}
