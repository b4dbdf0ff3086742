import { expect, test } from "./fixtures/test";

const PAGES = [
  { path: "/", heading: "Overview", slug: "overview" },
  { path: "/programs", heading: "Programs", slug: "programs" },
  { path: "/optimizations", heading: "Optimizations", slug: "optimizations" },
  { path: "/experiments", heading: "Experiments", slug: "experiments" },
  { path: "/runs", heading: "Runs & Traces", slug: "runs" },
  { path: "/agents", heading: "Agents", slug: "agents" },
  { path: "/datasets", heading: "Datasets", slug: "datasets" },
  { path: "/costs", heading: "Costs", slug: "costs" },
  { path: "/alerts", heading: "Alerts", slug: "alerts" },
  { path: "/settings", heading: "Settings", slug: "settings" },
];

test.describe("dashboard shell", () => {
  for (const p of PAGES) {
    test(`${p.heading} opens, goes live and is captured`, async ({ page }) => {
      await page.goto(p.path);
      await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
      const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: p.heading });
      await expect(link).toHaveAttribute("aria-current", "page");
      await page.screenshot({ path: `test-results/screenshots/${p.slug}.png`, fullPage: true });
    });
  }

  test("navigates between every area from the sidebar without a full reload", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const p of PAGES.slice(1)) {
      await nav.getByRole("link", { name: p.heading }).click();
      await expect(page).toHaveURL(p.path);
      await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    }
    // The socket survived client-side navigation: still the same live connection.
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
  });

  test("the overview shows the embedded database, the demo model and a live memory chart", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByTestId("database-backend")).toHaveText("Embedded PGlite");
    await expect(page.getByTestId("lm-mode")).toContainText("Demo model: offline simulator");
    await expect(page.getByTestId("live-clients")).toHaveText(/^[1-9]\d*$/, { timeout: 15_000 });
    const chart = page.getByTestId("memory-chart");
    await expect(chart).toHaveAttribute("data-points", /^(?:[2-9]|\d{2,})$/, { timeout: 15_000 });
  });

  test("switches between light and dark themes and remembers the choice", async ({ page }) => {
    await page.emulateMedia({ colorScheme: "light" });
    await page.goto("/settings");
    const html = page.locator("html");
    const toggle = page.getByTestId("theme-toggle");
    await expect(toggle).toHaveAttribute("data-theme-choice", "system");
    await expect(html).not.toHaveClass(/dark/);
    await toggle.click(); // system -> light
    await expect(toggle).toHaveAttribute("data-theme-choice", "light");
    await toggle.click(); // light -> dark
    await expect(html).toHaveClass(/dark/);
    await page.screenshot({ path: "test-results/screenshots/settings-dark.png", fullPage: true });
    await page.reload();
    await expect(html).toHaveClass(/dark/);
    await toggle.click(); // dark -> system (light here)
    await expect(html).not.toHaveClass(/dark/);
  });

  test("on a narrow screen the navigation opens from the menu button", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
    await page.getByRole("button", { name: "Open navigation" }).click();
    await page.getByRole("dialog", { name: "Navigation" }).getByRole("link", { name: "Costs" }).click();
    await expect(page).toHaveURL("/costs");
    await expect(page.getByRole("heading", { level: 1, name: "Costs" })).toBeVisible();
    await expect(page.getByRole("dialog", { name: "Navigation" })).toBeHidden();
    await page.screenshot({ path: "test-results/screenshots/costs-narrow.png", fullPage: true });
  });

  test("health and readiness answer", async ({ request }) => {
    expect(await (await request.get("/api/v1/health")).json()).toEqual({ status: "ok" });
    const ready = await request.get("/api/v1/ready");
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: { ok: true } } });
  });
});
