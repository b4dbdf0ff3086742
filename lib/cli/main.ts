#!/usr/bin/env node
// The `dspex` command line: one command per job, each with --help and --json, exit codes that
// mean something (see errors.ts), against a running server (--server and an API key) or locally
// on the configured database.
import { Command, CommanderError, Option } from "commander";
import { dspexVersion } from "../runtime/version";
import { apiKeyCommand, dbCommand, serveCommand, workerCommand } from "./commands/admin";
import { checkCommand } from "./commands/check";
import { evalCommand } from "./commands/eval";
import { initCommand } from "./commands/init";
import { optimizeCommand } from "./commands/optimize";
import { runCommand } from "./commands/run";
import { exportCommand, importCommand } from "./commands/transfer";
import type { GlobalOptions } from "./connect";
import { CliError, EXIT } from "./errors";
import { createOutput } from "./output";
import { packageRoot } from "./package-root";

const program = new Command("dspex")
  .description("DSPEx: run, evaluate, optimize and serve language-model programs")
  .version(dspexVersion(packageRoot()))
  .addOption(new Option("--server <url>", "a running DSPEx server to work against (default: local, on DSPEX_DATA_DIR or DATABASE_URL)").env("DSPEX_SERVER"))
  .addOption(new Option("--api-key <key>", "the API key for --server").env("DSPEX_API_KEY"))
  .option("--programs-dir <dir>", "the programs folder (default: DSPEX_PROGRAMS_DIR or ./programs)")
  .option("--data-dir <dir>", "the embedded database's folder (default: DSPEX_DATA_DIR or ./data)")
  .option("--json", "print the result as JSON (for scripts)")
  .showHelpAfterError()
  .exitOverride();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();
const out = () => createOutput(globals().json === true);

program
  .command("init [dir]")
  .description("create a program file and a small dataset in <dir>/programs, ready to run")
  .option("--name <name>", "the program's name", "sentiment")
  .action((dir: string | undefined, o: { name?: string }) => initCommand(dir, o, out()));

program
  .command("run <program>")
  .description("run a program (a file such as programs/x.ts, or a served program's name) on one input or a file of inputs")
  .option("--input <json>", "the inputs as a JSON object")
  .option("--file <jsonl>", "one JSON object of inputs per line")
  .option("--version <n>", "a version number or id (default: the active version)")
  .action((ref: string, o: object) => runCommand(ref, o, globals(), out()));

program
  .command("eval <program>")
  .description("score the program's active version on a dataset (default: its bundled examples)")
  .option("--dataset <file.jsonl|name>", "a JSONL file ({ inputs, outputs, split } per line) or a stored dataset")
  .option("--split <split>", "train, validation, test or all", "validation")
  .option("--concurrency <n>", "examples at once", "8")
  .option("--min-score <x>", "exit 1 when the mean is below this")
  .action((ref: string, o: object) => evalCommand(ref, o, globals(), out()));

program
  .command("optimize <program>")
  .description("optimize the program within a budget, following it live; Ctrl-C stops it cleanly")
  .option("--budget <spec>", "e.g. calls=300,usd=0.5,seconds=600")
  .option("--dataset <file.jsonl|name>", "the examples (default: the program's bundled dataset)")
  .option("--optimizer <name>", "auto, mipro-v2, gepa, simba, ...", "auto")
  .option("--seed <n>", "random seed", "0")
  .option("--resume <id>", "continue a stopped or failed optimization")
  .option("--no-apply", "do not make the best version active")
  .action((ref: string, o: object) => optimizeCommand(ref, o, globals(), out()));

const programs = program.command("programs").description("the programs folder");
programs
  .command("check [dir]")
  .description("load every program as the server does; list what fails with file, line and message (exit 1 if any)")
  .action((dir: string | undefined) => checkCommand(dir, globals(), out()));

program
  .command("serve")
  .description("start the server and dashboard (reloads programs when their files change)")
  .option("--port <port>", "the port (default: PORT or 3000)")
  .action((o: { port?: string }) => serveCommand(o, globals()));

program
  .command("worker")
  .description("start a job worker (needs DATABASE_URL and REDIS_URL)")
  .action(() => workerCommand(globals()));

const db = program.command("db").description("the database");
db.command("migrate").description("apply pending migrations").action(() => dbCommand("migrate", undefined, globals(), out()));
db.command("backup <file>").description("back up the database (embedded: stop the server first; PostgreSQL: pg_dump)").action((file: string) => dbCommand("backup", file, globals(), out()));
db.command("restore <file>").description("restore a backup into an empty data directory (or PostgreSQL with pg_restore)").action((file: string) => dbCommand("restore", file, globals(), out()));

const keys = program.command("api-key").description("API keys of the serving API");
keys
  .command("create <name>")
  .description("create a key and print it once")
  .option("--rate <n>", "requests per minute")
  .option("--scopes <list>", "what the key may do, comma-separated: predict, read, optimize, manage (default predict)")
  .action((name: string, o: { rate?: string; scopes?: string }) => apiKeyCommand("create", name, o, globals(), out()));
keys.command("list").description("list keys").action(() => apiKeyCommand("list", undefined, {}, globals(), out()));
keys
  .command("revoke <idOrPrefix>")
  .description("revoke a key")
  .action((ref: string) => apiKeyCommand("revoke", ref, {}, globals(), out()));

program
  .command("export [file]")
  .description("write programs (with their code), versions and datasets to one JSON file (default: stdout)")
  .action((file: string | undefined) => exportCommand(file, globals(), out()));
program
  .command("import <file>")
  .description("add an export's program files, versions and datasets to this installation")
  .action((file: string) => importCommand(file, globals(), out()));

// Long-running commands keep the process alive themselves; the others leave when done.
const LONG_RUNNING = new Set(["serve", "worker"]);

try {
  await program.parseAsync(process.argv);
  if (!LONG_RUNNING.has(program.args[0] ?? "")) process.exit(EXIT.ok);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  if (err instanceof CliError) {
    if (err.message !== "interrupted") process.stderr.write(`dspex: ${err.message}\n`);
    process.exit(err.exitCode);
  }
  process.stderr.write(`dspex: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(EXIT.failed);
}
