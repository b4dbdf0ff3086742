// Generates the Prisma client (lib/db/generated) after every install. Works offline: see prisma.config.ts.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

// Installed as a package (npm install dspex, a tarball), dist/ already holds the compiled client.
if (!existsSync("prisma/schema.prisma")) process.exit(0);

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  if (existsSync("lib/db/generated/client.ts")) process.exit(0);
  console.error("dspex postinstall: the prisma package is missing, so the database client cannot be generated; run a full `npm install`.");
  process.exit(1);
}
execFileSync(process.execPath, [cli, "generate"], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" } });
console.log("dspex postinstall: generated the Prisma client in lib/db/generated");
