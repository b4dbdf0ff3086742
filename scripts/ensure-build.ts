// Builds the dashboard (next build) unless .next already holds a build of the current sources.
import { spawnSync } from "node:child_process";
import { buildIsCurrent, markBuilt, sourceHash } from "./build-state";

export function ensureBuild(): void {
  const hash = sourceHash();
  if (buildIsCurrent(hash)) return;
  console.log("dspex: building the dashboard (first start or sources changed) ...");
  const res = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" } });
  if (res.status !== 0) {
    console.error("dspex: next build failed; see the output above");
    process.exit(res.status ?? 1);
  }
  // next build may rewrite tsconfig.json, so the stamp is taken from the sources as the build left them.
  markBuilt(sourceHash());
}

if (process.argv[1] && import.meta.filename === process.argv[1]) ensureBuild();
