import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/optimizations-${name}.png`, fullPage: true });

/** The WCAG contrast ratio of an element's text against its own background colour. */
async function contrastOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    const style = getComputedStyle(el);
    const a = lum(rgb(style.color));
    const b = lum(rgb(style.backgroundColor));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

async function activeVersionOf(page: Page, program: string): Promise<number | null> {
  const body = (await (await page.request.get(`/api/v1/programs/${program}`)).json()) as { active: { number: number } | null };
  return body.active?.number ?? null;
}

async function openLaunchForm(page: Page): Promise<void> {
  await page.goto("/optimizations");
  await expect(page.getByRole("heading", { level: 1, name: "Optimizations" })).toBeVisible();
  await page.getByRole("link", { name: "New optimization" }).click();
  await expect(page).toHaveURL(/\/optimizations\/new/);
  await expect(page.getByLabel("Program")).toHaveValue(/.+/);
}

/** Fills the launch form for the qa program and waits for its estimate. */
async function fillQa(page: Page, budget: { usd: string; lmCalls: string; seconds: string }): Promise<void> {
  await page.getByLabel("Program").selectOption("qa");
  await expect(page.getByLabel("Dataset version")).not.toHaveValue("");
  await page.getByLabel("Optimizer").selectOption("mipro-v2");
  await page.getByLabel("Money (USD)").fill(budget.usd);
  await page.getByLabel("LM calls").fill(budget.lmCalls);
  await page.getByLabel("Time (seconds)").fill(budget.seconds);
  await expect(page.getByTestId("estimate")).toHaveAttribute("data-state", "ready", { timeout: 30_000 });
  await expect(page.getByTestId("estimate-lm-calls")).toHaveText(/\d/);
}

async function launch(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Start optimization" }).click();
  await expect(page).toHaveURL(/\/optimizations\/(?!new)[^/?]+$/, { timeout: 30_000 });
  return page.url().split("/").pop()!;
}

test.describe("optimizations", () => {
  test("the launch form estimates the cost and shows a bad budget's error by its field", async ({ page }) => {
    await openLaunchForm(page);
    await fillQa(page, { usd: "1", lmCalls: "100", seconds: "120" });
    await expect(page.getByTestId("estimate-usd")).toHaveText(/^\$/);
    await expect(page.getByRole("checkbox", { name: /temperature/ })).toBeChecked();
    await shot(page, "new");

    await page.getByLabel("Money (USD)").fill("-1");
    await page.getByRole("button", { name: "Start optimization" }).click();
    await expect(page.getByTestId("error-budgetUsd")).toHaveText("must be above 0");
    await expect(page.getByLabel("Money (USD)")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/optimizations\/new/);
    // No variable to search is refused by the field too.
    for (const box of await page.getByRole("checkbox").all()) if (await box.isChecked()) await box.uncheck();
    await expect(page.getByTestId("error-search")).toHaveText("choose at least one variable to search");
    await shot(page, "new-errors");
  });

  test("launches qa, the chart grows live to completion, and the best becomes the active version", async ({ page }) => {
    test.setTimeout(240_000);
    await openLaunchForm(page);
    await fillQa(page, { usd: "1", lmCalls: "120", seconds: "180" });
    const id = await launch(page);
    await expect(page.getByRole("heading", { level: 1, name: "Optimization" })).toBeVisible();
    const chart = page.getByTestId("score-chart");
    const points = async () => Number(await chart.getAttribute("data-points"));
    await expect.poll(points, { timeout: 60_000 }).toBeGreaterThan(0);
    const first = await points();
    await shot(page, "run-live");
    await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(first);
    await expect(page.getByTestId("run-view")).toHaveAttribute("data-status", "completed", { timeout: 150_000 });

    await expect(page.getByTestId("trials-table")).toHaveAttribute("data-total", /^[1-9]\d*$/);
    await expect(page.getByTestId("trials-table").getByRole("row")).not.toHaveCount(1);
    await page.getByTestId("trials-table").getByRole("button", { name: "Score" }).click();
    await expect(page.getByTestId("trials-table").getByRole("columnheader", { name: "Score" })).toHaveAttribute("aria-sort", "descending");
    // The sort lives in the URL: a reload shows the same view.
    await expect(page).toHaveURL(/[?&]sort=score(&|$)/);
    await expect(page).toHaveURL(/[?&]order=desc(&|$)/);
    await page.reload();
    await expect(page.getByTestId("trials-table").getByRole("columnheader", { name: "Score" })).toHaveAttribute("aria-sort", "descending");
    await expect(page.getByTestId("pareto-chart")).toHaveAttribute("data-points", /^[1-9]/);
    await expect(page.getByTestId("budget-lm-calls")).toContainText("/ 120");

    // Full evaluations and minibatches are never ranked together: the table shows one kind at a time.
    const table = page.getByTestId("trials-table");
    await expect(table).toHaveAttribute("data-evaluation", "full");
    await expect(table.getByRole("tab", { name: /Full evaluations/ })).toHaveAttribute("aria-selected", "true");
    const minibatchNumbers = new Set(
      ((await (await page.request.get(`/api/v1/optimizations/${id}/trials?evaluation=minibatch&limit=100`)).json()) as { items: { number: number }[] }).items.map((t) => t.number),
    );
    const shownFull = await table.getByTestId("trial-row").evaluateAll((rows) => rows.map((r) => ({ number: Number(r.getAttribute("data-number")), score: r.getAttribute("data-score") })));
    expect(shownFull.length).toBeGreaterThan(0);
    for (const row of shownFull) expect(minibatchNumbers.has(row.number), `trial ${row.number} is a minibatch`).toBe(false);
    const fullScores = shownFull.filter((r) => r.score !== null && r.score !== "").map((r) => Number(r.score));
    expect(fullScores).toEqual([...fullScores].sort((a, b) => b - a));
    await expect(table.getByRole("row").filter({ hasText: "minibatch of" })).toHaveCount(0);
    if (minibatchNumbers.size > 0) {
      await table.getByRole("tab", { name: /Minibatches/ }).click();
      await expect(table).toHaveAttribute("data-evaluation", "minibatch");
      await expect(page).toHaveURL(/[?&]evaluation=minibatch(&|$)/);
      await expect(table.getByTestId("trial-row").first()).toContainText("minibatch of");
      await expect(table.getByRole("row").filter({ hasText: /\d+ examples/ }).filter({ hasNotText: "minibatch of" })).toHaveCount(0);
      await shot(page, "trials-minibatches");
      await table.getByRole("tab", { name: /Full evaluations/ }).click();
      await expect(table).toHaveAttribute("data-evaluation", "full");
    }

    // The parallel-coordinates plot: no label overlaps another.
    const boxes = await page.getByTestId("parallel-coordinates").locator("[data-testid=pc-label]").evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent ?? "", left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }),
    );
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        expect(overlap, `labels "${a.text}" and "${b.text}" overlap`).toBe(false);
      }

    // A trial opens on its own page: its configuration, its score per example and its LM calls.
    await page.goto(`/optimizations/${id}/trials/0`);
    await expect(page.getByRole("heading", { level: 1, name: "Trial 0" })).toBeVisible();
    const trial = page.getByTestId("trial-view");
    await expect(trial).toHaveAttribute("data-evaluation", "full");
    await expect(page.getByTestId("trial-config")).toBeVisible();
    await expect(page.getByTestId("trial-examples")).toHaveAttribute("data-count", /^[1-9]\d*$/);
    await expect(page.getByTestId("trial-example").first()).toContainText(/#\d+/);
    await expect(page.getByTestId("trial-runs")).toHaveAttribute("data-total", /^[1-9]\d*$/);
    await shot(page, "trial");
    await page.getByTestId("trial-run").first().getByRole("link").click();
    await expect(page).toHaveURL(/\/runs\/[^/]+$/);
    // The trace names the time zone it shows times in (the browser's).
    await expect(page.getByTestId("run-started")).toHaveText(/GMT|UTC/);
    await page.goBack();
    await page.goto(`/optimizations/${id}`);

    // "Apply best as new version": readable in both themes, and it asks before promoting.
    const apply = page.getByRole("button", { name: "Apply best as new version" });
    await expect(apply).toBeVisible();
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      expect(await contrastOf(apply), `contrast of the button in the ${scheme} theme`).toBeGreaterThanOrEqual(4.5);
    }
    await page.emulateMedia({ colorScheme: "light" });
    const activeBefore = await activeVersionOf(page, "qa");
    await apply.click();
    const dialog = page.getByRole("dialog", { name: /Make the best configuration the active version of qa\?/ });
    await expect(dialog).toBeVisible();
    await shot(page, "apply-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    expect(await activeVersionOf(page, "qa")).toBe(activeBefore);
    await apply.click();
    await page.getByRole("dialog").getByRole("button", { name: "Apply and promote" }).click();
    await expect(page.getByTestId("apply-result")).toContainText(/Version \d+ of qa is now the active version/);
    expect(await activeVersionOf(page, "qa")).not.toBe(activeBefore);
    await shot(page, "run-completed");

    await page.goto("/optimizations");
    const row = page.locator(`[data-testid="optimization-row"][data-id="${id}"]`);
    await expect(row).toHaveAttribute("data-status", "completed");
    await shot(page, "list");

    // Filter by status: the URL keeps it, every row matches, and a reload keeps the filter.
    await page.getByLabel("Filter by status").selectOption("completed");
    await expect(page).toHaveURL(/[?&]status=completed(&|$)/);
    const statuses = () => page.getByTestId("optimization-row").evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));
    await expect.poll(statuses).toContain("completed");
    await expect.poll(async () => (await statuses()).every((s) => s === "completed")).toBe(true);
    await page.reload();
    await expect(page.getByLabel("Filter by status")).toHaveValue("completed");
    await expect(row).toHaveAttribute("data-status", "completed");
    expect((await statuses()).every((s) => s === "completed")).toBe(true);
    await shot(page, "list-filtered");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).not.toHaveURL(/status=/);
  });

  test("stops a running optimization and resumes it; compares runs", async ({ page }) => {
    test.setTimeout(180_000);
    await openLaunchForm(page);
    await fillQa(page, { usd: "5", lmCalls: "3000", seconds: "600" });
    const id = await launch(page);
    const view = page.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(view).toHaveAttribute("data-status", /stopping|stopped/);
    await expect(view).toHaveAttribute("data-status", "stopped", { timeout: 60_000 });
    await shot(page, "run-stopped");
    await page.getByRole("button", { name: "Resume" }).click();
    await expect(view).toHaveAttribute("data-status", /queued|running/);
    await expect(view).toHaveAttribute("data-status", "running", { timeout: 60_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await expect(view).toHaveAttribute("data-status", "stopped", { timeout: 60_000 });

    await page.goto("/optimizations");
    const rows = page.getByTestId("optimization-row");
    await expect(rows).not.toHaveCount(0);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")!));
    expect(ids).toContain(id);
    await page.goto(`/optimizations/compare?ids=${ids.slice(0, 2).join(",")}`);
    await expect(page.getByTestId("compare-chart")).toHaveAttribute("data-series", String(Math.min(2, ids.length)));
    await expect(page.getByTestId("compare-table").getByRole("row")).toHaveCount(Math.min(2, ids.length) + 1);
    await shot(page, "compare");
  });
});
