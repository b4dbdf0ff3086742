/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The runtime (database drivers, logger) is created by server.ts and reached through
  // lib/runtime's registry; keep these packages out of Next's server bundles.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pg", "pino", "pino-pretty", "@prisma/client", "@prisma/adapter-pg", "tsx", "esbuild", "quickjs-emscripten", "bullmq", "ioredis"],
};

export default nextConfig;
