import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/programs-${name}.png`, fullPage: true });

/** The number in a toast such as "Saved as v3". */
async function versionFromToast(page: Page, pattern: RegExp): Promise<number> {
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: pattern }).first();
  await expect(toast).toBeVisible();
  return Number((await toast.innerText()).match(pattern)![1]);
}

test.describe("programs", () => {
  test("lists the programs and opens one with its signature and module tree", async ({ page }) => {
    await page.goto("/programs");
    await expect(page.getByRole("heading", { level: 1, name: "Programs" })).toBeVisible();
    const row = page.getByTestId("program-row-qa");
    await expect(row).toBeVisible();
    await expect(page.getByTestId("program-row-review-sentiment")).toBeVisible();
    await expect(row.getByRole("cell").nth(1)).toHaveText(/^v\d+$/);
    await shot(page, "list");

    await row.getByRole("link", { name: "qa" }).click();
    await expect(page).toHaveURL(/\/programs\/qa$/);
    await expect(page.getByRole("heading", { level: 1, name: "qa" })).toBeVisible();
    await expect(page.getByTestId("signature-inputs")).toContainText("context");
    await expect(page.getByTestId("signature-inputs")).toContainText("question");
    await expect(page.getByTestId("signature-outputs")).toContainText("answer");
    await expect(page.getByTestId("module-tree")).toContainText("Predict");
    await shot(page, "signature");
    await page.emulateMedia({ colorScheme: "dark" });
    await expect(page.locator("html")).toHaveClass(/dark/);
    await shot(page, "signature-dark");
  });

  test("edits variables into a new version, shows its diff, promotes it and rolls back", async ({ page }) => {
    await page.goto("/programs/qa?tab=variables");
    const form = page.getByTestId("variables-form");
    await expect(form).toBeVisible();
    const temperature = page.getByTestId("variable-temperature").getByRole("spinbutton");

    // A value outside the space is refused next to the field, with the server's own message.
    await temperature.fill("9");
    await expect(page.getByTestId("error-temperature")).toHaveText("must be at most 1.5");
    await page.getByRole("button", { name: "Save version" }).click();
    await expect(page.getByTestId("error-temperature")).toBeVisible();
    await shot(page, "variables-invalid");

    await temperature.fill("0.2");
    await expect(page.getByTestId("error-temperature")).toHaveCount(0);
    const instructions = page.getByTestId("variable-instructions").getByRole("textbox");
    await instructions.fill("Answer questions about DSPEx in one short sentence.");
    await expect(page.getByTestId("changed-variables")).toContainText("temperature");
    await expect(page.getByTestId("changed-variables")).toContainText("instructions");
    await page.getByPlaceholder("What changed and why").fill("cooler, shorter answers");
    await page.getByRole("button", { name: "Save version" }).click();
    const created = await versionFromToast(page, /Saved as v(\d+)/);

    // Saving lands on Versions with the new version and its diff against the active version.
    await expect(page).toHaveURL(/tab=versions/);
    const row = page.getByTestId(`version-row-${created}`);
    await expect(row).toContainText("cooler, shorter answers");
    await expect(row).toContainText("Ada Admin");
    await row.getByRole("button", { name: `Show changes of v${created}` }).click();
    await expect(page.getByTestId("diff-temperature")).toContainText("0.2");
    await expect(page.getByTestId("diff-instructions")).toContainText("one short sentence");
    await shot(page, "versions-diff");

    const before = Number((await page.getByTestId("active-version").innerText()).match(/v(\d+)/)![1]);
    await row.getByRole("button", { name: "Promote" }).click();
    await expect(page.getByRole("dialog")).toContainText(`Promote v${created}?`);
    await page.getByRole("dialog").getByRole("button", { name: "Promote" }).click();
    await versionFromToast(page, /v(\d+) is now active/);
    await expect(row).toContainText("active");
    await expect(page.getByTestId("active-version")).toHaveText(`active v${created}`);

    await page.getByRole("button", { name: "Roll back" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Roll back" }).click();
    // Roll back returns to the version that was active before the promotion.
    const back = await versionFromToast(page, /Rolled back to v(\d+)/);
    expect(back).toBe(before);
    await expect(page.getByTestId("active-version")).toHaveText(`active v${back}`);
    await expect(row.getByRole("button", { name: "Promote" })).toBeVisible();
    await shot(page, "versions-rolled-back");
  });

  test("runs the playground against a chosen version and shows the output and its trace", async ({ page }) => {
    await page.goto("/programs/qa?tab=playground");
    const form = page.getByTestId("playground-form");
    await form.getByRole("button", { name: "Run" }).click();
    await expect(form.getByRole("alert").first()).toHaveText("is required");

    await form.getByLabel(/^context/).fill("DSPEx is a TypeScript platform for language-model programs.");
    await form.getByLabel(/^question/).fill("What is DSPEx?");
    await form.getByLabel("Version").selectOption("1");
    await form.getByRole("button", { name: "Run" }).click();
    await expect(page.getByTestId("playground-output")).toContainText("answer");
    await expect(page.getByTestId("playground-latency")).toContainText("ms");
    const trace = page.getByTestId("trace-view");
    await expect(trace.getByTestId("trace-span").first()).toBeVisible();
    await trace.getByTestId("lm-call").first().getByRole("button").click();
    await expect(trace.getByTestId("lm-messages").first()).toContainText("What is DSPEx?");
    await shot(page, "playground");

    await page.setViewportSize({ width: 390, height: 844 });
    await expect(page.getByTestId("playground-output")).toBeVisible();
    await shot(page, "playground-mobile");
  });
});
