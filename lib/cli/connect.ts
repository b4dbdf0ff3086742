// Where a command runs: against a running server (--server and an API key), or locally: the
// runtime started in this process on the configured database (DSPEX_DATA_DIR or DATABASE_URL),
// its programs folder being the one the program file is in, and the serving API on a loopback
// port with a key made for this command and deleted after it. Both ways the command speaks the
// same HTTP API, so what works locally works against a server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { ConfigError, loadConfig } from "../config";
import { DatabaseError } from "../db";
import { createLogger } from "../log";
import { servingDeps, startRuntime, type Runtime } from "../runtime";
import { registerProgramImports } from "../runtime/program-imports";
import { createServingApi } from "../runtime/serving";
import { createApiKey, deleteApiKey } from "../runtime/store";
import { API_SCOPES } from "../schemas/access";
import { createApiClient, type ApiClient } from "./client";
import { CliError, EXIT } from "./errors";
import { packageRoot } from "./package-root";

export interface GlobalOptions {
  readonly server?: string;
  readonly apiKey?: string;
  readonly programsDir?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

export interface Connection {
  readonly api: ApiClient;
  /** The dashboard's address for links (the server's; locally, what `dspex serve` would listen on). */
  readonly dashboardUrl: string;
  /** Set when the runtime runs in this process. */
  readonly runtime?: Runtime;
  close(): Promise<void>;
}

/** A program given as a file (`programs/triage.ts`): its folder and name; else the name as given. */
export function programRef(ref: string): { readonly name: string; readonly dir?: string } {
  if (/\.[mc]?[jt]sx?$/.test(ref) || ref.includes("/") || ref.includes(path.sep)) {
    const file = path.resolve(ref);
    return { name: path.basename(file).replace(/\.[mc]?[jt]sx?$/, ""), dir: path.dirname(file) };
  }
  return { name: ref };
}

export function isRemote(options: GlobalOptions): boolean {
  return Boolean(options.server ?? process.env.DSPEX_SERVER);
}

export async function connect(options: GlobalOptions, programsDir?: string): Promise<Connection> {
  const server = options.server ?? process.env.DSPEX_SERVER;
  if (server) {
    const key = options.apiKey ?? process.env.DSPEX_API_KEY;
    return { api: createApiClient(server, key), dashboardUrl: server.replace(/\/+$/, ""), close: async () => {} };
  }
  return connectLocal(options, programsDir);
}

/** The configuration for a local command: the environment, with the CLI's folders over it. */
export function localConfig(options: GlobalOptions, programsDir?: string) {
  const env = {
    ...process.env,
    ...(options.dataDir && { DSPEX_DATA_DIR: path.resolve(options.dataDir) }),
    ...((programsDir ?? options.programsDir) && { DSPEX_PROGRAMS_DIR: path.resolve(programsDir ?? options.programsDir!) }),
    DSPEX_WATCH_PROGRAMS: "false",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  };
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export async function startLocalRuntime(options: GlobalOptions, programsDir?: string, startJobs = true): Promise<Runtime> {
  const config = localConfig(options, programsDir);
  registerProgramImports();
  try {
    return await startRuntime(config, createLogger(config.logLevel, false), { migrationsDir: path.join(packageRoot(), "prisma", "migrations") }, { startJobs });
  } catch (err) {
    if (err instanceof DatabaseError) {
      throw new CliError(`${err.message}\n(the embedded database admits one process: stop the server on it, or run the command against it with --server and --api-key)`, EXIT.unavailable);
    }
    throw err;
  }
}

async function connectLocal(options: GlobalOptions, programsDir?: string): Promise<Connection> {
  const runtime = await startLocalRuntime(options, programsDir);
  const serving = createServingApi(servingDeps(runtime));
  const http: Server = createServer((req, res) => {
    serving.handle(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"code":"INTERNAL","message":"internal error"}}');
      },
    );
  });
  // Only this command connects: keep its connections open while it works (an optimization may keep the process busy).
  http.keepAliveTimeout = 10 * 60_000;
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const { port } = http.address() as AddressInfo;
  const made = await createApiKey(runtime.db.prisma, { name: "dspex CLI (this command only)", scopes: [...API_SCOPES] });
  const shownHost = runtime.config.host === "0.0.0.0" || runtime.config.host === "127.0.0.1" ? "localhost" : runtime.config.host;
  return {
    api: createApiClient(`http://127.0.0.1:${port}`, made.key),
    dashboardUrl: `http://${shownHost}:${runtime.config.port}`,
    runtime,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await runtime.apiKeys.usage.stop().catch(() => {});
      await deleteApiKey(runtime.db.prisma, made.apiKey.id).catch(() => {});
      await runtime.stop();
    },
  };
}
