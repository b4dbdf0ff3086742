import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/test";

const CONTEXT = "DSPEx has a framework, a variable system and a runtime with a live dashboard.";

/** POST /api/v1/programs/<name>/predict as the signed-in admin (session cookie + CSRF header). */
async function predict(request: APIRequestContext, program: string, input: Record<string, unknown>): Promise<{ runId: string }> {
  const state = await request.storageState();
  const csrf = state.cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
  const res = await request.post(`/api/v1/programs/${program}/predict`, { data: { input }, headers: { "x-csrf-token": csrf } });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as { runId: string };
}

test.describe("runs and traces", () => {
  test("new runs appear live; program and status filters live in the URL; the table pages", async ({ page, request }) => {
    await page.goto("/runs");
    await expect(page.getByRole("heading", { level: 1, name: "Runs & Traces" })).toBeVisible();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
    await expect(page.getByTestId("runs-live")).toHaveAttribute("data-live", "true");

    // Runs made while the page is open appear without a reload.
    const qa = await predict(request, "qa", { context: CONTEXT, question: "What does DSPEx have?" });
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${qa.runId}"]`)).toBeVisible();
    const classify: string[] = [];
    for (const ticket of ["refund please", "the app crashes on start", "how do I export data?"]) classify.push((await predict(request, "classify", { ticket })).runId);
    for (const id of classify) await expect(page.locator(`[data-testid="run-row"][data-run-id="${id}"]`)).toBeVisible();
    await expect(page.locator(`[data-run-id="${classify[2]}"]`)).toHaveAttribute("data-status", "ok");
    await page.screenshot({ path: "test-results/screenshots/runs-list.png", fullPage: true });

    // Filter by program: the URL keeps it, and only that program's runs remain.
    await page.getByLabel("Program").selectOption("classify");
    await expect(page).toHaveURL(/[?&]programName=classify/);
    await expect(page.locator(`[data-run-id="${qa.runId}"]`)).toHaveCount(0);
    const rows = page.getByTestId("run-row");
    await expect(rows.first()).toBeVisible();
    for (const text of await rows.allInnerTexts()) expect(text).toContain("classify");

    // Then by status as well.
    await page.getByLabel("Status").selectOption("ok");
    await expect(page).toHaveURL(/status=ok/);
    await expect(page).toHaveURL(/programName=classify/);
    for (const s of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-status")))) expect(s).toBe("ok");
    await page.getByLabel("Status").selectOption("error");
    await expect(page).toHaveURL(/status=error/);
    await expect(page.getByTestId("empty-state")).toContainText("No runs match these filters");

    // The filters survive a reload (they live in the URL), and the table pages on the server.
    await page.goto("/runs?programName=classify&status=ok&limit=2");
    await expect(page.getByLabel("Program")).toHaveValue("classify");
    await expect(page.getByLabel("Status")).toHaveValue("ok");
    await expect(page.getByTestId("runs-page")).toHaveText(/Page 1 of [2-9]/);
    const firstPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-run-id")));
    expect(firstPage).toHaveLength(2);
    await page.getByRole("button", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByTestId("runs-page")).toHaveText(/Page 2 of/);
    await expect(page.getByTestId("runs-live")).toHaveAttribute("data-live", "false");
    const secondPage = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-run-id")));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.some((id) => firstPage.includes(id))).toBe(false);
    await page.getByRole("button", { name: "Previous" }).click();
    await expect(page.getByTestId("runs-page")).toHaveText(/Page 1 of/);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-run-id")))).toEqual(firstPage);
    await page.screenshot({ path: "test-results/screenshots/runs-filtered.png", fullPage: true });

    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect(page).toHaveURL(/\/runs$/);
  });

  test("a trace shows the span tree with its timeline, an LM call's exact messages, tokens and cost", async ({ page, request }) => {
    const question = "Which part of DSPEx supervises agents?";
    const { runId } = await predict(request, "qa", { context: CONTEXT, question });
    await page.goto("/runs");
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).getByRole("link", { name: "qa" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
    await expect(page.getByTestId("run-status")).toContainText("ok");
    await expect(page.getByTestId("run-program")).toHaveText(/^qa v\d+$/);

    const tree = page.getByTestId("span-tree");
    await expect(tree.getByTestId("trace-span-row").first()).toBeVisible();
    const lmRow = tree.getByTestId("trace-lm-row").first();
    await expect(lmRow).toBeVisible();
    await lmRow.getByRole("button").first().click();
    await expect(lmRow).toHaveAttribute("aria-selected", "true");

    const detail = page.getByTestId("lm-call-detail");
    await expect(detail.getByTestId("lm-messages")).toContainText(question);
    await expect(detail.getByTestId("lm-response")).not.toBeEmpty();
    const tokens = detail.getByTestId("lm-tokens");
    for (const kind of ["Input", "Cached input", "Cache write", "Output", "Reasoning"]) await expect(tokens.getByRole("rowheader", { name: kind, exact: true })).toBeVisible();
    await expect(detail.getByTestId("lm-cost")).toHaveText(/^\$/);
    await expect(detail.getByTestId("lm-latency")).toHaveText(/\d+(\.\d+)? m?s/);
    await expect(detail.getByTestId("lm-cache-hit")).toHaveText(/^(yes|no)$/);
    await expect(detail.getByTestId("lm-retries")).toHaveText(/^\d+$/);
    await page.screenshot({ path: "test-results/screenshots/runs-trace.png", fullPage: true });

    // Selecting the span shows its inputs and outputs.
    await tree.getByTestId("trace-span-row").first().getByRole("button", { name: /program|qa|Predict/i }).last().click();
    await expect(page.getByTestId("span-detail")).toContainText(question);

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId("span-tree")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/runs-trace-narrow.png", fullPage: true });
  });

  test.describe("a missing run", () => {
    // The browser logs the page's own 404, which is the point here.
    test.use({ allowConsoleErrors: [/status of 404/] });
    test("an unknown run is a 404 page", async ({ page }) => {
      const res = await page.goto("/runs/no-such-run");
      expect(res?.status()).toBe(404);
    });
  });

  test("a bad filter in the address is an error naming the parameter, not an endless wait", async ({ page }) => {
    await page.goto("/runs?status=bogus");
    const alert = page.getByTestId("runs-error");
    await expect(alert).toBeVisible();
    await expect(alert).toContainText("status");
    await expect(alert).toContainText('"bogus"');
    await expect(page.getByTestId("runs-total")).toHaveText("No runs shown");
    await page.screenshot({ path: "test-results/screenshots/runs-bad-filter.png", fullPage: true });
    await alert.getByRole("button", { name: "Clear the filters" }).click();
    await expect(page).not.toHaveURL(/status=/);
    await expect(page.getByTestId("runs-error")).toHaveCount(0);
    await expect(page.getByTestId("runs-total")).toHaveText(/\d+ runs?/);
  });
});
