// `npm run db:migrate`: applies pending migrations to the configured database and exits.
import { ConfigError, loadConfig } from "../lib/config";
import { DatabaseError, migrateDatabase, redactUrl } from "../lib/db";

async function main(): Promise<void> {
  const config = loadConfig();
  const where = config.database.url ? redactUrl(config.database.url) : config.database.dataDir;
  const report = await migrateDatabase(config.database, { log: { info: (m) => console.log(m), warn: (m) => console.warn(`warning: ${m}`) } });
  console.log(
    report.applied.length
      ? `db:migrate: applied ${report.applied.length} migration(s) to ${where}`
      : `db:migrate: ${where} is up to date (${report.alreadyApplied} migrations applied)`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseError) {
    process.stderr.write(`dspex: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
});
