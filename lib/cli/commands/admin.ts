// Running and keeping an installation: dspex serve / worker (the server and the job worker of
// this package, with the CLI's folders), dspex db migrate|backup|restore, dspex api-key
// create|list|revoke (on the configured database; the embedded one only while no server runs).
import path from "node:path";
import { backupDatabase, DatabaseError, migrateDatabase, openDatabase, redactUrl } from "../../db";
import { createApiKey, listApiKeys, revokeApiKey, StoreError } from "../../runtime/store";
import { localConfig, type GlobalOptions } from "../connect";
import { restoreDatabase } from "../../db";
import { CliError, EXIT } from "../errors";
import { API_SCOPES, type ApiScope } from "../../schemas/access";
import type { Output } from "../output";
import { packageModule, packageRoot } from "../package-root";

/** The folders the server and worker use, as absolute paths (they run from the package's folder). */
function processEnvFor(global: GlobalOptions, port?: string): void {
  const config = localConfig(global);
  process.env.DSPEX_PROGRAMS_DIR = config.programsDir;
  process.env.DSPEX_DATA_DIR = config.database.dataDir;
  if (port) process.env.PORT = port;
  process.chdir(packageRoot());
}

export async function serveCommand(options: { port?: string }, global: GlobalOptions): Promise<void> {
  processEnvFor(global, options.port);
  await import(packageModule("server"));
}

export async function workerCommand(global: GlobalOptions): Promise<void> {
  processEnvFor(global);
  await import(packageModule("lib/runtime/jobs/worker-main"));
}

const migrations = () => ({ migrationsDir: path.join(packageRoot(), "prisma", "migrations") });

function dbError(err: unknown): never {
  if (err instanceof DatabaseError) {
    throw new CliError(err.code === "DB_DATA_DIR_IN_USE" ? `${err.message} (stop the server first)` : err.message, err.code === "DB_DATA_DIR_IN_USE" || err.code === "DB_CONNECT_FAILED" ? EXIT.unavailable : EXIT.failed);
  }
  throw err;
}

export async function dbCommand(action: "migrate" | "backup" | "restore", file: string | undefined, global: GlobalOptions, out: Output): Promise<void> {
  const config = localConfig(global);
  const where = config.database.url ? redactUrl(config.database.url) : config.database.dataDir;
  try {
    if (action === "migrate") {
      const report = await migrateDatabase(config.database, migrations());
      out.result({ database: where, applied: report.applied, alreadyApplied: report.alreadyApplied }, () =>
        report.applied.length ? `applied ${report.applied.length} migration(s) to ${where}` : `${where} is up to date (${report.alreadyApplied} migrations applied)`,
      );
      return;
    }
    if (!file) throw new CliError(`dspex db ${action} needs a file`, EXIT.usage);
    if (action === "backup") {
      await backupDatabase(config.database, file);
      out.result({ database: where, file }, () => `backed up ${where} to ${file}${config.database.url ? "" : `\nkeep ${path.join(config.database.dataDir, "secret.key")} (or DSPEX_SECRET_KEY) with it: stored provider keys are encrypted with it`}`);
    } else {
      await restoreDatabase(config.database, file);
      out.result({ database: where, file }, () => `restored ${file} into ${where}`);
    }
  } catch (err) {
    dbError(err);
  }
}

export async function apiKeyCommand(action: "create" | "list" | "revoke", arg: string | undefined, options: { rate?: string; scopes?: string }, global: GlobalOptions, out: Output): Promise<void> {
  const config = localConfig(global);
  const db = await openDatabase(config.database, migrations()).catch(dbError);
  try {
    if (action === "create") {
      if (!arg) throw new CliError("dspex api-key create needs a name", EXIT.usage);
      const rate = options.rate === undefined ? null : Number(options.rate);
      if (rate !== null && (!Number.isInteger(rate) || rate < 1)) throw new CliError("--rate must be a whole number of requests per minute", EXIT.usage);
      const scopes = options.scopes?.split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = scopes?.find((s) => !(API_SCOPES as readonly string[]).includes(s));
      if (unknown !== undefined) throw new CliError(`--scopes: unknown scope "${unknown}" (scopes: ${API_SCOPES.join(", ")})`, EXIT.usage);
      const { key, apiKey } = await createApiKey(db.prisma, { name: arg, rateLimitPerMinute: rate, ...(scopes && { scopes: scopes as ApiScope[] }) });
      out.result({ ...apiKey, key }, () => `created API key "${apiKey.name}" (id ${apiKey.id}, prefix ${apiKey.prefix}); shown once, store it now:\n${key}`);
    } else if (action === "list") {
      const page = await listApiKeys(db.prisma, { limit: 100, includeRevoked: true });
      out.result(page.items, () =>
        page.items.length === 0
          ? "no API keys yet: dspex api-key create <name>"
          : page.items.map((k) => `${k.prefix}  ${k.id}  ${k.name}  rate ${k.rateLimitPerMinute ?? "default"}/min  ${k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? "never"}`}`).join("\n"),
      );
    } else {
      if (!arg) throw new CliError("dspex api-key revoke needs the key's id or prefix", EXIT.usage);
      const match = (await listApiKeys(db.prisma, { limit: 100, includeRevoked: true })).items.find((k) => k.id === arg || k.prefix === arg);
      if (!match) throw new CliError(`no API key has the id or prefix "${arg}"`, EXIT.notFound);
      const k = await revokeApiKey(db.prisma, match.id);
      out.result(k, () => `revoked API key "${k.name}" (${k.prefix})`);
    }
  } catch (err) {
    if (err instanceof StoreError) throw new CliError(err.issues.length ? err.issues.map((i) => `${i.field}: ${i.message}`).join("; ") : err.message, err.code === "NOT_FOUND" ? EXIT.notFound : EXIT.invalid);
    throw err;
  } finally {
    await db.close();
  }
}
