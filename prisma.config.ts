// Prisma's CLI checks that a native schema engine exists before any command, even those that
// never run it (generate, validate, format). None can be downloaded here, so point it at a
// script that fails loudly if a command really needs it (migrate deploy would otherwise
// "succeed" having done nothing). Migrations are written and applied by scripts/ and lib/db.
import path from "node:path";
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, "scripts", "no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
