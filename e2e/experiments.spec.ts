import { adminPost as post } from "./fixtures/api";
import { expect, test } from "./fixtures/test";

test.describe("experiments", () => {
  test("runs two versions of a program on a dataset and reads the per-example differences, each with its trace", async ({ page, request }) => {
    // A second version that answers at a hot temperature (the demo model then errs more often).
    const created = await post(request, "/api/v1/programs/qa/versions", { config: { temperature: 1.5 }, message: `hot for an experiment ${Date.now()}` });
    expect(created.status(), await created.text()).toBe(201);
    const hot = ((await created.json()) as { number: number }).number;
    const versions = (await (await request.get("/api/v1/programs/qa/versions?limit=100")).json()) as { items: { number: number; active: boolean }[] };
    const baseline = versions.items.find((v) => v.active)!.number;

    await page.goto("/experiments", { timeout: 60_000 });
    await expect(page.getByRole("heading", { level: 1, name: "Experiments" })).toBeVisible();
    const form = page.getByTestId("experiment-form");
    await form.getByLabel("Program").selectOption("qa");
    const boxes = form.getByTestId("experiment-versions");
    await boxes.getByRole("checkbox", { name: new RegExp(`^v${baseline}\\b`) }).check();
    await boxes.getByRole("checkbox", { name: new RegExp(`^v${hot}\\b`) }).check();
    await expect(boxes).toContainText(`v${baseline} (active) · baseline`);
    await form.getByLabel("Examples (at most)").fill("8");
    await form.getByRole("button", { name: "Run experiment" }).click();

    await expect(page).toHaveURL(/\/experiments\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    // Live: the page refetches when the experiment ends (config:changed "experiment").
    await expect(page.getByTestId("experiment-status")).toHaveAttribute("data-status", "completed", { timeout: 90_000 });
    const cards = page.getByTestId("experiment-version");
    await expect(cards).toHaveCount(2);
    await expect(cards.first()).toContainText("baseline");
    await expect(cards.nth(1)).toContainText(/vs baseline: \d+ better · \d+ worse · \d+ same/);
    await expect(cards.first().getByTestId("experiment-mean")).toHaveText(/^\d\.\d{3}$/);

    const rows = page.getByTestId("experiment-rows").getByTestId("experiment-row");
    await expect(rows).toHaveCount(8);
    const differing = await page.locator('[data-testid="experiment-row"][data-differs="true"]').count();
    await expect(page.getByText(`${differing} of 8 examples differ`)).toBeVisible();
    await page.getByRole("button", { name: "Only differences" }).click();
    await expect(rows).toHaveCount(differing);
    await page.screenshot({ path: "test-results/screenshots/experiment.png", fullPage: true });
    await page.getByRole("button", { name: "Show all examples" }).click();
    await expect(rows).toHaveCount(8);

    // Every cell is a run: its trace opens.
    await rows.first().getByTestId("experiment-cell").nth(1).getByRole("link", { name: "trace" }).click();
    await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
    await expect(page.getByText("qa").first()).toBeVisible();
  });
});
