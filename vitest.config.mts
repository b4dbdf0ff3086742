import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // As tsconfig.json's paths: the package's own name resolves to its sources.
    alias: [
      { find: /^@\//, replacement: `${path.resolve(import.meta.dirname)}/` },
      { find: /^dspex$/, replacement: path.resolve(import.meta.dirname, "lib/dspex/index.ts") },
      { find: /^dspex\/runtime$/, replacement: path.resolve(import.meta.dirname, "lib/runtime/public.ts") },
      { find: /^dspex\/demos$/, replacement: path.resolve(import.meta.dirname, "lib/dspex/demos/index.ts") },
    ],
  },
  test: {
    include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts", "app/**/*.test.ts"],
    exclude: ["node_modules", ".next", "dist", "e2e", "data"],
    environment: "node",
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
