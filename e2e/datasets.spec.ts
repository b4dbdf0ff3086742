import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";

const suffix = Date.now().toString(36);
const GOOD_NAME = `e2e-math-${suffix}`;
const row = (q: string, a: string, split?: string) => JSON.stringify({ inputs: { question: q }, outputs: { answer: a }, ...(split && { split }) });
const GOOD = [row("1+1?", "2"), row("2+2?", "4"), row("3+3?", "6"), row("4+4?", "8"), row("5+5?", "10", "test")].join("\n");
const BAD = [row("fine?", "yes"), "{not json", row("which split?", "none", "holdout"), JSON.stringify({ inputs: "oops" })].join("\n");

async function importFile(page: Page, fileName: string, name: string, content: string) {
  await expect(page.getByTestId("datasets-table")).toBeVisible(); // hydrated: the list came from the API
  await page.getByTestId("import-dataset").first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("File (.jsonl or .csv)").setInputFiles({ name: fileName, mimeType: "application/x-ndjson", buffer: Buffer.from(content) });
  await dialog.getByLabel("Dataset name").fill(name);
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  return dialog;
}

test.describe("datasets", () => {
  test("imports a JSONL file and lists the new dataset", async ({ page }) => {
    await page.goto("/datasets");
    await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
    const dialog = await importFile(page, "math.jsonl", GOOD_NAME, GOOD);
    await expect(dialog).toBeHidden();
    const link = page.getByTestId("datasets-table").getByRole("link", { name: GOOD_NAME });
    await expect(link).toBeVisible();
    await expect(page.getByTestId("datasets-table").getByRole("row", { name: new RegExp(GOOD_NAME) })).toContainText("v1");
    await page.screenshot({ path: "test-results/screenshots/datasets-list.png", fullPage: true });
  });

  test("shows each bad row of a file with its line, field and problem, and imports nothing", async ({ page }) => {
    await page.goto("/datasets");
    const dialog = await importFile(page, "bad.jsonl", `e2e-bad-${suffix}`, BAD);
    const errors = dialog.getByTestId("import-row-errors");
    await expect(errors).toContainText("3 errors");
    await expect(errors).toContainText("nothing was imported");
    const rows = errors.locator("tbody tr");
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText("2");
    await expect(rows.nth(0)).toContainText("is not valid JSON");
    await expect(rows.nth(1)).toContainText("split");
    await expect(rows.nth(1)).toContainText('must be train, validation or test; received "holdout"');
    await expect(rows.nth(2)).toContainText("inputs");
    await page.screenshot({ path: "test-results/screenshots/datasets-import-errors.png", fullPage: true });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("link", { name: `e2e-bad-${suffix}` })).toHaveCount(0);
  });

  test("browses a version's examples, filters by split and splits it into a new version", async ({ page }) => {
    await page.goto(`/datasets/${GOOD_NAME}`);
    await expect(page.getByRole("heading", { level: 1, name: GOOD_NAME })).toBeVisible();
    const table = page.getByTestId("examples-table");
    await expect(table.locator("tbody tr")).toHaveCount(5);
    await expect(table).toContainText("3+3?");
    await page.getByRole("group", { name: "Filter by split" }).getByRole("button", { name: "test" }).click();
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table).toContainText("5+5?");
    await expect(page.getByTestId("split-chart")).toHaveAttribute("data-versions", "1");
    await page.screenshot({ path: "test-results/screenshots/datasets-detail.png", fullPage: true });

    await page.getByTestId("split-version").click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Validation fraction").fill("0.95");
    await dialog.getByRole("button", { name: "Create split version" }).click();
    await expect(dialog).toContainText("must be at most 0.9");
    await dialog.getByLabel("Validation fraction").fill("0.2");
    await dialog.getByLabel("Test fraction").fill("0.2");
    await dialog.getByLabel("Seed").fill("3");
    await dialog.getByRole("button", { name: "Create split version" }).click();
    await expect(dialog).toBeHidden();
    const versions = page.getByTestId("versions-list");
    await expect(versions.getByRole("button")).toHaveCount(2);
    await expect(versions.getByRole("button", { name: /v2/ })).toHaveAttribute("aria-current", "true");
    await expect(page.getByTestId("split-chart")).toHaveAttribute("data-versions", "2");
    await page.getByRole("group", { name: "Filter by split" }).getByRole("button", { name: "all" }).click();
    await expect(table.locator("tbody tr")).toHaveCount(5);
    await expect(table.getByText("validation")).toHaveCount(1);
    await page.screenshot({ path: "test-results/screenshots/datasets-split.png", fullPage: true });
  });

  test("fits a 390px-wide screen", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`/datasets/${GOOD_NAME}`);
    await expect(page.getByTestId("examples-table")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/datasets-mobile.png", fullPage: true });
  });
});
