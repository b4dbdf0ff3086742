import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/test";

const suffix = Date.now().toString(36);

async function csrfOf(request: APIRequestContext): Promise<string> {
  return (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
}

/** POST /api/v1/programs/classify/predict as the signed-in admin, with run labels (retried while the server sheds load, as its Retry-After asks). */
async function predict(request: APIRequestContext, ticket: string, labels: Record<string, unknown>): Promise<string> {
  const send = () => request.post("/api/v1/programs/classify/predict", { data: { input: { ticket }, ...labels }, headers: { "x-csrf-token": csrf } });
  const csrf = await csrfOf(request);
  let res = await send();
  for (let i = 0; i < 5 && res.status() === 503; i++) {
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers()["retry-after"] ?? 1)));
    res = await send();
  }
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { runId: string }).runId;
}

test.describe("trace search", () => {
  test("searches traces by words, tags and user, saves the search as a view, and adds a run to a dataset with its output as the expected answer", async ({ page, request }) => {
    const word = `zephyr${suffix}`;
    const refund = await predict(request, `Refund the ${word} subscription please`, { tags: ["billing", `t${suffix}`], userId: `u-${suffix}`, sessionId: "chat-1" });
    const crash = await predict(request, `The ${word} app crashes at start`, { tags: [`t${suffix}`], userId: "someone-else" });
    await predict(request, "Unrelated question about invoices", { tags: ["billing"] });

    await page.goto("/runs");
    await page.getByRole("link", { name: "Search traces" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Search traces" })).toBeVisible();

    // Words: both runs with the word, as a prefix and whatever the case; nothing else.
    await page.getByLabel("Search text").fill(word.slice(0, -2).toUpperCase());
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`q=${word.slice(0, -2).toUpperCase()}`));
    const rows = page.getByTestId("search-row");
    await expect(rows).toHaveCount(2);
    await expect(page.locator(`[data-testid="search-row"][data-run-id="${refund}"]`)).toContainText(`Refund the ${word}`);
    await expect(page.locator(`[data-testid="search-row"][data-run-id="${crash}"]`)).toContainText("someone-else");

    // Narrowed by user id: only the refund run, shown with its tags, user, session, input and output.
    await page.getByLabel("User id").fill(`u-${suffix}`);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(rows).toHaveCount(1);
    const row = page.locator(`[data-testid="search-row"][data-run-id="${refund}"]`);
    await expect(row).toContainText("billing");
    await expect(row).toContainText("chat-1");
    await expect(row).toContainText('"category"');

    // Saved as a view; a different search, then the view brings the saved one back.
    await page.getByLabel("View name").fill(`refunds ${suffix}`);
    await page.getByRole("button", { name: "Save view" }).click();
    await page.getByLabel("Search text").fill("");
    await page.getByLabel("User id").fill("");
    await page.getByLabel("Tags").fill(`t${suffix}`);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(rows).toHaveCount(2);
    await page.getByLabel("Saved view").selectOption({ label: `refunds ${suffix}` });
    await expect(rows).toHaveCount(1);
    await expect(page).toHaveURL(new RegExp(`userId=u-${suffix}`));
    await page.screenshot({ path: "test-results/screenshots/trace-search.png", fullPage: true });

    // Open the trace and add it to a new dataset: its output becomes the expected answer.
    await row.getByRole("link", { name: "classify" }).click();
    await expect(page).toHaveURL(new RegExp(`/runs/${refund}`));
    await page.getByRole("button", { name: "Add to dataset" }).click();
    const form = page.getByRole("form", { name: "Add this run to a dataset" });
    const expected = await form.getByLabel(/Expected output/).inputValue();
    expect(JSON.parse(expected)).toHaveProperty("category");
    await form.getByLabel(/^Dataset/).fill(`from-traces-${suffix}`);
    await form.getByRole("button", { name: "Add example" }).click();
    await expect(page.getByTestId("added-to-dataset")).toContainText(`Added as example 1 of from-traces-${suffix} v1 (new dataset)`);

    // The dataset holds the run's input and output as an example.
    await page.getByTestId("added-to-dataset").getByRole("link", { name: `from-traces-${suffix}` }).click();
    const table = page.getByTestId("examples-table");
    await expect(table.locator("tbody tr")).toHaveCount(1);
    await expect(table).toContainText(`Refund the ${word} subscription please`);
    await expect(table).toContainText(JSON.parse(expected).category as string);

    // A second run from the search page's row action: a new version with both examples.
    await page.goto(`/runs/search?q=${word}&userId=someone-else`);
    await expect(rows).toHaveCount(1);
    await rows.first().getByRole("button", { name: "To dataset…" }).click();
    await rows.first().getByRole("button", { name: "Add to dataset" }).click();
    const rowForm = rows.first().getByRole("form", { name: "Add this run to a dataset" });
    await rowForm.getByLabel(/^Dataset/).fill(`from-traces-${suffix}`);
    await rowForm.getByLabel(/Expected output/).fill('{"category": "bug"}');
    await rowForm.getByRole("button", { name: "Add example" }).click();
    await expect(rows.first().getByTestId("added-to-dataset")).toContainText(`Added as example 2 of from-traces-${suffix} v2`);
  });
});
