import { type Browser, type Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { ADMIN_STATE } from "./fixtures/auth";

// Two people in two browsers: what one changes (a version, a promotion, a budget) shows in the
// other's open page without a reload. Neither page polls these lists (react-query keeps them 30 s
// and does not refetch on focus), so only the pushed `config:changed` event can update them.

async function openAs(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
  return page;
}

/** How long after `since` the other page showed the change (reported, not asserted: the machine is shared). */
function report(name: string, since: number): void {
  test.info().annotations.push({ type: `seen by the other browser: ${name}`, description: `${Date.now() - since} ms after the change was confirmed` });
}

test("two browsers see each other's new version, promotion and budget without reloading", async ({ browser }) => {
  const a = await openAs(browser, "/programs/review-sentiment?tab=variables");
  const b = await openAs(browser, "/programs/review-sentiment?tab=versions");
  await expect(b.getByTestId("versions-table")).toBeVisible();

  // A saves a new version; B's versions list shows it.
  await a.getByTestId("variables-form").getByTestId("variable-temperature").getByRole("spinbutton").fill("0.35");
  await a.getByPlaceholder("What changed and why").fill("made in browser A");
  await a.getByRole("button", { name: "Save version" }).click();
  const toast = a.locator("[data-sonner-toast]").filter({ hasText: /Saved as v(\d+)/ }).first();
  await expect(toast).toBeVisible();
  let since = Date.now();
  const created = Number((await toast.innerText()).match(/Saved as v(\d+)/)![1]);
  const rowAtB = b.getByTestId(`version-row-${created}`);
  await expect(rowAtB).toContainText("made in browser A");
  report("version", since);
  await expect(rowAtB).not.toContainText("active");

  // A promotes it; B's row becomes the active one, and B's header says so.
  await a.getByTestId(`version-row-${created}`).getByRole("button", { name: "Promote" }).click();
  await a.getByRole("dialog").getByRole("button", { name: "Promote" }).click();
  await expect(a.locator("[data-sonner-toast]").filter({ hasText: `v${created} is now active` })).toBeVisible();
  since = Date.now();
  await expect(rowAtB).toContainText("active");
  await expect(b.getByTestId("active-version")).toHaveText(`active v${created}`);
  report("promotion", since);

  // A adds a monthly budget on Costs; B, on Costs too, lists it.
  await a.goto("/costs");
  await b.goto("/costs");
  await expect(a.getByTestId("cost-forecast")).toBeVisible();
  await expect(b.getByTestId("cost-forecast")).toBeVisible();
  await expect(b.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
  const form = a.getByTestId("budget-form");
  await form.getByLabel("Period").selectOption("month");
  await form.getByLabel("Limit (USD)").fill("777");
  await form.getByRole("button", { name: "Add budget" }).click();
  await expect(a.getByTestId("budget-row").filter({ hasText: "$777.00" })).toBeVisible();
  since = Date.now();
  await expect(b.getByTestId("budget-row").filter({ hasText: "$777.00" })).toBeVisible();
  report("budget", since);

  await a.context().close();
  await b.context().close();
});
