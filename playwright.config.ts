import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/** The production server the browser tests run against: a fresh embedded database each run. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_DATA_DIR = path.join(tmpdir(), `dspex-e2e-${E2E_PORT}`);
/** The browser's time zone in the tests; the server runs in UTC. */
export const E2E_BROWSER_TZ = "Pacific/Auckland";

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
  // The browser's time zone differs from the server's (UTC, below): a page that formats a date or
  // time on the server one way and in the browser another fails to hydrate, and the console guard
  // of e2e/fixtures/test.ts fails the test. Auckland is also on another calendar day most hours.
  projects: [
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 720 }, timezoneId: E2E_BROWSER_TZ, launchOptions: CHROMIUM_LAUNCH, storageState: "e2e/.auth/admin.json" },
    },
  ],
  webServer: {
    command: `rm -rf '${E2E_DATA_DIR}' && exec node dist/server.js`,
    url: `http://127.0.0.1:${E2E_PORT}/api/v1/ready`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    // Load shedding is proven by its integration test; here a busy test machine must not turn a
    // user flow into a 503, so the event-loop lag guard is off unless a run asks for it.
    env: { TZ: "UTC", PORT: String(E2E_PORT), HOST: "127.0.0.1", DSPEX_DATA_DIR: E2E_DATA_DIR, LOG_LEVEL: "warn", NEXT_TELEMETRY_DISABLED: "1", DSPEX_MAX_EVENT_LOOP_LAG_MS: process.env.DSPEX_MAX_EVENT_LOOP_LAG_MS ?? "0" },
  },
});
