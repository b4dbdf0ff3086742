// Builds what is out of date: the server (dist/: server.ts, lib/ and the scripts compiled to
// JavaScript, with the package's type declarations) and the dashboard (next build). Each is
// skipped when it already holds a build of the current sources; a type error fails either.
//   node --import tsx scripts/ensure-build.ts             both (npm run build, npm start)
//   node --import tsx scripts/ensure-build.ts --server    the server only (npm run worker, api-key, pack)
import { spawnSync } from "node:child_process";
import path from "node:path";
import { withBuildLock } from "./build-lock";
import { buildIsCurrent, DASHBOARD_BUILD, markBuilt, SERVER_BUILD, sourceHash } from "./build-state";
import { buildServer, ROOT } from "./build-server";

const LOCK = path.join(ROOT, "node_modules", ".cache", "dspex", "build.lock");

export function ensureServerBuild(): Promise<void> {
  return withBuildLock(LOCK, buildServerIfStale);
}

async function buildServerIfStale(): Promise<void> {
  const hash = sourceHash(SERVER_BUILD);
  if (buildIsCurrent(SERVER_BUILD, hash)) return;
  console.log("dspex: compiling the server (first start or sources changed) ...");
  try {
    await buildServer();
  } catch (err) {
    throw new Error(`the server build failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  markBuilt(SERVER_BUILD, hash);
}

function ensureDashboardBuild(): void {
  if (buildIsCurrent(DASHBOARD_BUILD)) return;
  console.log("dspex: building the dashboard (first start or sources changed) ...");
  const res = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" } });
  if (res.status !== 0) throw new Error("next build failed; see the output above");
  // next build may rewrite tsconfig.json, so the stamp is taken from the sources as the build left them.
  markBuilt(DASHBOARD_BUILD, sourceHash(DASHBOARD_BUILD));
}

export function ensureBuild(options: { serverOnly?: boolean } = {}): Promise<void> {
  return withBuildLock(LOCK, async () => {
    await buildServerIfStale();
    if (!options.serverOnly) ensureDashboardBuild();
  });
}

/** Builds what is out of date, or exits with the reason. */
export async function ensureBuildOrExit(options: { serverOnly?: boolean } = {}): Promise<void> {
  try {
    await ensureBuild(options);
  } catch (err) {
    console.error(`dspex: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await ensureBuildOrExit({ serverOnly: process.argv.includes("--server") });
