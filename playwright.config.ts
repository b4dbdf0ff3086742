import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/** The production server the browser tests run against: a fresh embedded database each run. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATA_DIR = path.join(tmpdir(), `dspex-e2e-${E2E_PORT}`);

/** Debian's Chromium (apt-get install chromium); Playwright cannot download its own browsers here. */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

export default defineConfig({
  testDir: "e2e",
  // Creates the administrator on the fresh server and saves its session for every test.
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    storageState: "e2e/.auth/admin.json",
    launchOptions: CHROMIUM_LAUNCH,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 720 }, launchOptions: CHROMIUM_LAUNCH, storageState: "e2e/.auth/admin.json" } }],
  webServer: {
    command: `rm -rf '${E2E_DATA_DIR}' && exec node --import tsx server.ts`,
    url: `http://127.0.0.1:${E2E_PORT}/api/v1/ready`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: { PORT: String(E2E_PORT), HOST: "127.0.0.1", DSPEX_DATA_DIR: E2E_DATA_DIR, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1" },
  },
});
