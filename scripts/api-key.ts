// `npm run api-key -- create <name> [--rate <requests per minute>]`: creates a key for the serving
// API and prints it once (only its hash is stored). `list` shows the keys, `revoke <id or prefix>`
// revokes one. The embedded database admits one process: stop the server first (or use
// PostgreSQL, which any number of processes share).
import { exitWithError, loadConfigOrExit } from "../lib/config";
import { DatabaseError, openDatabase, type Database } from "../lib/db";
import { createApiKey, listApiKeys, revokeApiKey, StoreError } from "../lib/runtime/store";
import { API_SCOPES, type ApiScope } from "../lib/schemas";

const USAGE = "usage: npm run api-key -- create <name> [--rate <requests per minute>] [--scopes predict,read,optimize,manage] [--programs a,b] | list | revoke <id or prefix>";

function fail(message: string): never {
  return exitWithError("dspex api-key", message);
}

/** The value after `flag`, and the arguments without the pair. */
function option(args: string[], flag: string): [string | undefined, string[]] {
  const at = args.indexOf(flag);
  if (at < 0) return [undefined, args];
  return [args[at + 1], args.filter((_, i) => i !== at && i !== at + 1)];
}

async function create(db: Database, args: string[]): Promise<void> {
  const [rateText, a1] = option(args, "--rate");
  const [scopesText, a2] = option(a1, "--scopes");
  const [programsText, rest] = option(a2, "--programs");
  const rate = rateText !== undefined ? Number(rateText) : undefined;
  if (rate !== undefined && !Number.isInteger(rate)) fail("--rate must be a whole number of requests per minute");
  const scopes = scopesText?.split(",").map((s) => s.trim());
  const unknown = scopes?.filter((s) => !(API_SCOPES as readonly string[]).includes(s)) ?? [];
  if (unknown.length > 0) fail(`--scopes: unknown scope ${unknown.join(", ")}; scopes: ${API_SCOPES.join(", ")}`);
  const programs = programsText?.split(",").map((s) => s.trim()).filter(Boolean);
  const { key, apiKey } = await createApiKey(db.prisma, {
    name: rest.join(" "),
    rateLimitPerMinute: rate ?? null,
    ...(scopes && { scopes: scopes as ApiScope[] }),
    ...(programs && { programs }),
  });
  console.log(`created API key "${apiKey.name}" (id ${apiKey.id}, prefix ${apiKey.prefix}, scopes ${apiKey.scopes.join(",")}${apiKey.programs.length ? `, programs ${apiKey.programs.join(",")}` : ""})`);
  console.log("shown once, store it now:");
  console.log(key);
}

async function list(db: Database): Promise<void> {
  const page = await listApiKeys(db.prisma, { limit: 100, includeRevoked: true });
  if (page.items.length === 0) return void console.log("no API keys yet: npm run api-key -- create <name>");
  for (const k of page.items) {
    const state = k.revokedAt ? `revoked ${k.revokedAt}` : `last used ${k.lastUsedAt ?? "never"}`;
    console.log(`${k.prefix}  ${k.id}  ${k.name}  scopes ${k.scopes.join(",")}${k.programs.length ? `  programs ${k.programs.join(",")}` : ""}  rate ${k.rateLimitPerMinute ?? "default"}/min  ${state}`);
  }
}

async function revoke(db: Database, ref: string | undefined): Promise<void> {
  if (!ref) fail(`revoke needs the key's id or prefix\n${USAGE}`);
  const row = await db.prisma.apiKey.findFirst({ where: { OR: [{ id: ref }, { prefix: ref }] }, select: { id: true } });
  if (!row) fail(`no API key has the id or prefix "${ref}"`);
  const k = await revokeApiKey(db.prisma, row.id);
  console.log(`revoked API key "${k.name}" (${k.prefix})`);
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (!command || !["create", "list", "revoke"].includes(command)) fail(USAGE);
  const config = loadConfigOrExit("dspex api-key");
  let db: Database;
  try {
    db = await openDatabase(config.database);
  } catch (err) {
    if (err instanceof DatabaseError) fail(`${err.message}\n(the embedded database admits one process: stop the server, or use DATABASE_URL)`);
    throw err;
  }
  try {
    if (command === "create") await create(db, args);
    else if (command === "list") await list(db);
    else await revoke(db, args[0]);
  } catch (err) {
    if (err instanceof StoreError) fail(err.issues.length ? err.issues.map((i) => `${i.field}: ${i.message}`).join("; ") : err.message);
    throw err;
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  fail(err instanceof Error ? (err.stack ?? err.message) : String(err));
});
