// Idle memory of the compiled server, quickly: starts dist/server.js on a fresh embedded database
// (or DATABASE_URL), waits until ready and quiet, then prints its RSS and the kernel's breakdown.
//   node --import tsx bench/serving/idle-memory.ts [port]
import { readFileSync } from "node:fs";
import { openDatabase } from "../../lib/db";
import { freshPgliteDatabase, freshPostgresDatabase } from "../../lib/db/testing";
import { startServer, stopServer, waitReady } from "../lib/server-process";
import { rssMiB } from "./processes";

const port = Number(process.argv[2] ?? 4690);
const backend = process.env.IDLE_BACKEND ?? "pglite";
const t = backend === "pglite" ? await freshPgliteDatabase() : await freshPostgresDatabase("dspex_idle_memory");
// IDLE_PREMIGRATE=1: the database is created and migrated first, so the server starts as after a restart.
if (process.env.IDLE_PREMIGRATE === "1") await (await openDatabase(t.config)).close();
const extra = JSON.parse(process.env.IDLE_ENV ?? "{}") as Record<string, string>;
const server = startServer({ ...(t.config.url ? { DATABASE_URL: t.config.url } : {}), DSPEX_DATA_DIR: t.config.dataDir, PORT: String(port), HOST: "127.0.0.1", ...extra });
try {
  const ms = await waitReady(`http://127.0.0.1:${port}`, server);
  await new Promise((r) => setTimeout(r, 5_000));
  const pid = server.child.pid!;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const pick = (k: string) => /(\d+) kB/.exec(status.split("\n").find((l) => l.startsWith(k)) ?? "")?.[1];
  console.log(JSON.stringify({ backend, premigrated: process.env.IDLE_PREMIGRATE === "1", readyMs: Math.round(ms), rssMiB: Math.round(rssMiB(pid)), hwmMiB: Math.round(Number(pick("VmHWM")) / 1024), anonMiB: Math.round(Number(pick("RssAnon")) / 1024), fileMiB: Math.round(Number(pick("RssFile")) / 1024), env: extra }));
} finally {
  await stopServer(server);
  await t.destroy();
}
