import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures/test";

test.describe("costs", () => {
  test("shows the spend of a prediction, live, with breakdowns and the forecast", async ({ page, request }) => {
    await page.goto("/costs");
    await expect(page.getByRole("heading", { level: 1, name: "Costs" })).toBeVisible();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
    const csrf = (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value;
    expect(csrf).toBeTruthy();
    const res = await request.post("/api/v1/programs/qa/predict", {
      headers: { "x-csrf-token": csrf! },
      data: { input: { context: "DSPEx records every LM call with its cost.", question: "What does DSPEx record?" } },
    });
    expect(res.status(), await res.text()).toBe(200);

    // No reload: the lmcall:recorded event refreshes the numbers.
    // The breakdowns replace the empty state once there is at least one LM call in the range.
    await expect(page.getByTestId("cost-by-program")).toContainText("qa", { timeout: 20_000 });
    // A price is known for the demo model: the spend is more than nothing (tiny, so shown with more digits).
    await expect(page.getByTestId("cost-total")).toContainText(/\$(0\.0*[1-9]|[1-9])/);
    await expect(page.getByTestId("cost-by-program")).toContainText("qa");
    await expect(page.getByTestId("cost-by-model").locator("tbody tr").first()).toBeVisible();
    await expect(page.getByTestId("daily-cost-chart")).toHaveAttribute("data-days", "30");
    await expect(page.getByTestId("cost-forecast")).toContainText("$");
    await page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "7 days" }).click();
    await expect(page).toHaveURL(/days=7/);
    await expect(page.getByTestId("daily-cost-chart")).toHaveAttribute("data-days", "7");
    await page.screenshot({ path: "test-results/screenshots/costs-spend.png", fullPage: true });
  });

  test("creates a budget: an invalid limit is refused by the field, a valid one is listed with its bar", async ({ page }) => {
    await page.goto("/costs");
    // Interact once the page is hydrated (its data loaded), so the form does not reset what was chosen.
    await expect(page.getByTestId("cost-forecast")).toBeVisible();
    const form = page.getByTestId("budget-form");
    await form.getByLabel("Period").selectOption("day");
    await form.getByLabel("Limit (USD)").fill("-3");
    await form.getByRole("button", { name: "Add budget" }).click();
    await expect(form.getByText(/must be a positive amount in USD/)).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/costs-budget-error.png", fullPage: true });

    await form.getByLabel("Limit (USD)").fill("250");
    await form.getByRole("button", { name: "Add budget" }).click();
    const row = page.getByTestId("budget-row").filter({ hasText: "All spending" }).filter({ hasText: "per day" });
    await expect(row).toBeVisible();
    await expect(row).toContainText("of $250.00 today");
    await expect(row.getByTestId("budget-bar")).toBeVisible();

    // Change the limit; a bad value is refused next to the field.
    await row.getByRole("button", { name: /Edit budget/ }).click();
    await row.getByLabel("New limit (USD)").fill("abc");
    await row.getByRole("button", { name: "Save limit" }).click();
    await expect(row.getByText(/must be a positive amount/)).toBeVisible();
    await row.getByLabel("New limit (USD)").fill("300");
    await row.getByRole("button", { name: "Save limit" }).click();
    await expect(row).toContainText("of $300.00 today");
    await page.screenshot({ path: "test-results/screenshots/costs-budgets.png", fullPage: true });
  });

  test("filters by program in the URL, shows an empty state when nothing matches, and clears the filters", async ({ page, request }) => {
    const csrf = (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value;
    const predict = async (program: string, input: Record<string, string>) => {
      const res = await request.post(`/api/v1/programs/${program}/predict`, { headers: { "x-csrf-token": csrf! }, data: { input } });
      expect(res.status(), await res.text()).toBe(200);
    };
    await predict("qa", { context: "Filters narrow the costs page.", question: `What narrows the costs page? (${Date.now()})` });
    await predict("arithmetic", { problem: `Ada has ${Date.now() % 97} apples and buys 3 more. How many apples does she have?` });

    await page.goto("/costs?days=7");
    const byProgram = page.getByTestId("cost-by-program");
    await expect(byProgram).toContainText("arithmetic", { timeout: 20_000 });
    await expect(byProgram).toContainText("qa");

    await page.getByTestId("cost-filters").getByLabel("Program").selectOption("qa");
    await expect(page).toHaveURL(/programName=qa/);
    await expect(page).toHaveURL(/days=7/);
    await expect(byProgram).not.toContainText("arithmetic");
    await expect(byProgram.locator("tbody tr")).toHaveCount(1);
    await expect(byProgram).toContainText("qa");
    await expect(page.getByTestId("cost-total")).toContainText(/\$(0\.0*[1-9]|[1-9])/);
    await expect(page.getByTestId("cost-export").getByRole("link", { name: "by model" })).toHaveAttribute("href", /programName=qa/);
    await page.screenshot({ path: "test-results/screenshots/costs-filtered.png", fullPage: true });

    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).not.toHaveURL(/programName=/);
    await expect(byProgram).toContainText("arithmetic");
    await expect(page.getByRole("button", { name: "Clear filters" })).toHaveCount(0);

    // A combination that matches nothing: an empty state that offers to clear the filters.
    await page.goto("/costs?programName=qa&model=no-such-model");
    await expect(page.getByText("No spend matches these filters")).toBeVisible();
    await expect(page.getByTestId("cost-filters").getByLabel("Model")).toHaveValue("no-such-model");
    await page.screenshot({ path: "test-results/screenshots/costs-filter-empty.png", fullPage: true });
    await page.getByTestId("empty-state").getByRole("button", { name: "Clear filters" }).click();
    await expect(page).not.toHaveURL(/model=|programName=/);
    await expect(byProgram).toContainText("arithmetic");
  });

  test("downloads the spend as CSV", async ({ page }) => {
    await page.goto("/costs?days=7");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("cost-export").getByRole("link", { name: "by model" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^dspex-costs-by-model-7d-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile((await download.path())!, "utf8");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("group,key,label,cost_usd,calls,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,provider,unpriced_calls");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[1]).toMatch(/^model,/);
  });

  test("fits a 390px-wide screen", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto("/costs");
    await expect(page.getByTestId("budget-form")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/costs-mobile.png", fullPage: true });
  });

  test("the by-API-key table keeps every column inside its card, a long key name cut with its whole name in the tooltip", async ({ page, request, baseURL }) => {
    const csrf = (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
    const name = "nightly batch scoring service for the customer support ticket backlog";
    const created = await request.post("/api/v1/api-keys", { headers: { "x-csrf-token": csrf }, data: { name } });
    expect(created.status(), await created.text()).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const res = await request.post(`${baseURL}/api/v1/programs/qa/predict`, {
      headers: { authorization: `Bearer ${key}` },
      data: { input: { context: "Costs are grouped by API key.", question: "How are costs grouped?" } },
    });
    expect(res.status(), await res.text()).toBe(200);

    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto("/costs");
      const table = page.getByTestId("cost-by-api-key");
      const row = table.getByTestId("cost-row").filter({ hasText: "nightly batch" });
      await expect(row).toBeVisible({ timeout: 20_000 });
      await expect(row.locator("[title]").first()).toHaveAttribute("title", new RegExp(name));
      // Nothing scrolls sideways and every header sits inside the card.
      const fit = await table.evaluate((t) => {
        const box = t.closest("section")!.getBoundingClientRect();
        const heads = [...t.querySelectorAll("th")].filter((h) => h.getBoundingClientRect().width > 0);
        return {
          scrolls: t.parentElement!.scrollWidth > t.parentElement!.clientWidth + 1,
          outside: heads.filter((h) => h.getBoundingClientRect().right > box.right + 0.5).map((h) => h.textContent),
          heads: heads.length,
        };
      });
      expect(fit.scrolls, `the table scrolls sideways at ${width} px`).toBe(false);
      expect(fit.outside, `columns outside the card at ${width} px`).toEqual([]);
      expect(fit.heads).toBeGreaterThanOrEqual(3);
    }
    await page.screenshot({ path: "test-results/screenshots/costs-by-api-key.png", fullPage: true });
  });
});
