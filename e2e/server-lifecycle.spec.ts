import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { expect, test } from "./fixtures/test";
import { freshPostgresDatabase } from "../lib/db/testing";
import { ADMIN, signIn } from "./fixtures/auth";
import { startExpectingFailure, startServer, waitReady } from "./fixtures/server-process";

// The server is stopped under an open page on purpose: the browser logs the refused reconnections.
test.use({ allowConsoleErrors: [/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|WebSocket connection/] });

// These tests start their own servers (ports 3101-3103) next to the suite's shared one.
test.describe("npm start: configuration errors", () => {
  test("a bad PORT stops start-up with one line naming PORT and exit code 1", async () => {
    const { code, stderr } = await startExpectingFailure({ PORT: "eighty" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual(['dspex: Invalid configuration: PORT must be a number (got "eighty")']);
  });

  test("a malformed DATABASE_URL stops start-up with one line naming DATABASE_URL", async () => {
    const { code, stderr } = await startExpectingFailure({ DATABASE_URL: "mysql://root@localhost/dspex", PORT: "3101" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([
      'dspex: Invalid configuration: DATABASE_URL must start with postgres:// or postgresql:// (for example postgres://user@127.0.0.1:5432/dspex) (got "mysql://root@localhost/dspex")',
    ]);
  });

  test("an unreachable DATABASE_URL stops start-up with one line naming DATABASE_URL", async () => {
    const { code, stderr } = await startExpectingFailure({ DATABASE_URL: "postgres://dspex@127.0.0.1:1/dspex", PORT: "3101" });
    expect(code).toBe(1);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^dspex: DATABASE_URL: cannot connect to postgres:\/\/dspex@127\.0\.0\.1:1\/dspex: .*ECONNREFUSED/);
  });
});

test.describe("npm start: embedded database", () => {
  let dataDir: string;
  test.beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "dspex-lifecycle-"));
  });
  test.afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  test("stops cleanly on Ctrl-C, keeps its data, and the page reconnects by itself", async ({ page }) => {
    const first = startServer({ DSPEX_DATA_DIR: dataDir }, 3102);
    await waitReady(first);
    // The first start: every page leads to /setup, which creates the administrator and signs in.
    await page.context().clearCookies();
    await page.goto(`${first.url}/datasets`);
    await expect(page).toHaveURL(`${first.url}/setup`);
    await page.getByLabel("Your name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create the administrator" }).click();
    await expect(page.getByText("must be at least 10 characters")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/setup.png", fullPage: true });
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create the administrator" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await page.goto(`${first.url}/datasets`);
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveAttribute("data-state", "connected");
    await expect(page.getByText("kept-across-restarts")).toHaveCount(0);

    expect(await first.stop("SIGINT")).toBe(0);
    expect(first.output()).toContain("shutdown complete");
    expect(first.output()).not.toContain("exiting now");
    await expect(indicator).toHaveAttribute("data-state", /reconnecting|offline/);

    // Between the two runs, write to the data directory as any other PGlite user could.
    const db = await PGlite.create(path.join(dataDir, "pglite"));
    await db.query(`INSERT INTO "Dataset" (id, name, "updatedAt") VALUES ('d1', 'kept-across-restarts', now())`);
    await db.close();

    const second = startServer({ DSPEX_DATA_DIR: dataDir }, 3102);
    try {
      await waitReady(second);
      expect(second.output()).not.toContain("applied migration");
      await expect(indicator).toHaveAttribute("data-state", "connected", { timeout: 20_000 });
      // The session survived the restart too: no new sign-in.
      await page.reload();
      await expect(page.getByText("kept-across-restarts")).toBeVisible();
    } finally {
      expect(await second.stop("SIGTERM")).toBe(0);
    }
  });
});

test.describe("npm start: PostgreSQL", () => {
  test("runs on a fresh database named by DATABASE_URL, stops cleanly and keeps its data", async ({ page }) => {
    const pg = await freshPostgresDatabase("dspex_e2e");
    try {
      const env = { DATABASE_URL: pg.config.url!, DSPEX_DATA_DIR: pg.config.dataDir };
      const first = startServer(env, 3103);
      await waitReady(first);
      expect(first.output()).toContain("applied migration");
      const ready = await (await fetch(`${first.url}/api/v1/ready`)).json();
      expect(ready).toMatchObject({ status: "ready", checks: { database: { ok: true } } });
      await signIn(page.request, first.url);
      await page.goto(first.url);
      await expect(page.getByTestId("database-backend")).toHaveText("PostgreSQL");
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
      await page.screenshot({ path: "test-results/screenshots/overview-postgres.png" });
      expect(await first.stop("SIGINT")).toBe(0);

      const second = startServer(env, 3103);
      await waitReady(second);
      expect(second.output()).not.toContain("applied migration");
      expect(await second.stop("SIGTERM")).toBe(0);
    } finally {
      await pg.destroy();
    }
  });
});
