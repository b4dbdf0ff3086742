// The real server (compiled dist/server.js, production build) in a child process, for benchmarks that
// measure it from outside: build it, start it on a free port, wait until it is ready.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** The last 20,000 characters it printed. */
  output(): string;
}

/** Builds the server and the dashboard unless both builds are current (as npm start does). */
export function ensureBuilt(): void {
  const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/ensure-build.ts"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the build failed");
}

/**
 * Builds the server unless current; the dashboard only when there is none (benchmarks of the API
 * do not touch it, and rebuilding it after every change to lib/ takes minutes).
 */
export function ensureServerBuilt(): void {
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return ensureBuilt();
  const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/ensure-build.ts", "--server"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("the server build failed");
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      const port = typeof address === "object" && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** How the server is run: compiled (dist/server.js, what `npm start` runs) or from the sources under tsx. */
export type ServerCommand = "compiled" | "sources";

export const SERVER_ARGS: Record<ServerCommand, string[]> = {
  compiled: ["dist/server.js"],
  sources: ["--import", "tsx", "server.ts"],
};

/** `nodeArgs` go before the script, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"]. */
export function startServer(env: Record<string, string>, command: ServerCommand = "compiled", nodeArgs: readonly string[] = []): ServerProcess {
  const child = spawn(process.execPath, [...nodeArgs, ...SERVER_ARGS[command]], { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, exited: new Promise((resolve) => child.once("exit", () => resolve())), output: () => out };
}

/** Resolves with the milliseconds until /api/v1/ready answered 200; throws if the server exits first. */
export async function waitReady(url: string, server: ServerProcess, timeoutMs = 180_000): Promise<number> {
  const t0 = performance.now();
  let gone = false;
  void server.exited.then(() => (gone = true));
  while (performance.now() - t0 < timeoutMs) {
    if (gone) throw new Error(`the server exited before it was ready:\n${server.output()}`);
    try {
      if ((await fetch(`${url}/api/v1/ready`)).ok) return performance.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server was not ready after ${timeoutMs} ms:\n${server.output()}`);
}

/** SIGTERM, then waits (at most 20 s) for the exit. */
export async function stopServer(server: ServerProcess): Promise<void> {
  server.child.kill("SIGTERM");
  await Promise.race([server.exited, new Promise((r) => setTimeout(r, 20_000))]);
}
