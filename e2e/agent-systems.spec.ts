import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";

// The programs folder's example agent system (programs/text-desk.ts), started by the server at boot:
// called, scaled, stopped and restarted from the Agents page; and the marketplace page, where an
// administrator disables an action the system uses (its calls then fail naming the action) and
// enables it again.
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/agent-systems-${name}.png`, fullPage: true });

async function callDesk(system: Locator, input: object): Promise<void> {
  const panel = system.getByTestId("call-agent-system");
  await panel.getByRole("textbox").fill(JSON.stringify(input));
  await panel.getByRole("button", { name: "Call", exact: true }).click();
}

async function openDesk(page: Page): Promise<Locator> {
  await page.goto("/agents", { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Agents" })).toBeVisible();
  const system = page.locator('[data-testid="declared-system"][data-system="text-desk"]');
  await expect(system).toHaveAttribute("data-state", "running");
  return system;
}

test.describe("declared agent systems", () => {
  test("the programs folder's system runs from boot: call it, scale a group, stop and restart it", async ({ page }) => {
    const system = await openDesk(page);
    await expect(system).toContainText("programs/text-desk.ts");
    await expect(system.getByTestId("declared-agent")).toHaveCount(3);

    await callDesk(system, { title: "Agents: Beyond One Process!", text: "one two three" });
    const output = system.getByTestId("call-output");
    await expect(output).toContainText('"slug": "agents-beyond-one-process"');
    await expect(output).toContainText('"words": 3');
    await shot(page, "called");

    const clerk = system.locator('[data-testid="agent-group"][data-group="clerk"]');
    await clerk.getByLabel("Agents in clerk").fill("3");
    await clerk.getByRole("button", { name: "Scale" }).click();
    await expect(clerk.getByTestId("group-count")).toHaveText("3");
    await expect(system.getByTestId("declared-agent")).toHaveCount(4);
    await expect(system.locator('[data-testid="declared-agent"][data-agent="clerk-2"]')).toBeVisible();

    await system.getByRole("button", { name: "Stop", exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Stop it" }).click();
    await expect(system).toHaveAttribute("data-state", "stopped");
    await expect(system.getByTestId("declared-agent")).toHaveCount(0);
    await expect(system.getByTestId("call-agent-system")).toHaveCount(0);
    await shot(page, "stopped");

    await system.getByRole("button", { name: "Restart", exact: true }).click();
    await expect(system).toHaveAttribute("data-state", "running");
    await expect(system.getByTestId("declared-agent")).toHaveCount(4);

    // A reload reads the state back from the server; then the group goes back to its declared size.
    await page.reload();
    await expect(system).toHaveAttribute("data-state", "running");
    await expect(clerk.getByTestId("group-count")).toHaveText("3");
    await callDesk(system, { title: "Back again", text: "a b" });
    await expect(system.getByTestId("call-output")).toContainText('"slug": "back-again"');
    await clerk.getByLabel("Agents in clerk").fill("2");
    await clerk.getByRole("button", { name: "Scale" }).click();
    await expect(system.getByTestId("declared-agent")).toHaveCount(3);
  });

  test("the marketplace: disable an action, the system that uses it fails that action naming it, enable it again", async ({ page }) => {
    await page.goto("/marketplace", { timeout: 60_000 });
    await expect(page.getByRole("heading", { level: 1, name: "Marketplace" })).toBeVisible();
    const action = page.locator('[data-testid="marketplace-action"][data-action="title-slug"]');
    await expect(action).toHaveAttribute("data-enabled", "true");
    await expect(action).toContainText("programs/text-desk.ts");
    await expect(action.getByTestId("action-used-by")).toContainText("text-desk");
    await action.getByText("Input and output schemas").click();
    await expect(action).toContainText('"title"');
    await shot(page, "marketplace");

    await action.getByRole("button", { name: "Disable" }).click();
    await expect(action).toHaveAttribute("data-enabled", "false");
    await expect(action.getByTestId("action-status")).toHaveText("disabled");

    const system = await openDesk(page);
    await callDesk(system, { title: "Not today", text: "a b" });
    await expect(system.getByTestId("call-error")).toHaveText('The system answered with an error: action "title-slug" is disabled by an administrator; enable it on the Marketplace page to use it');
    await shot(page, "disabled-call");

    await page.goto("/marketplace", { timeout: 60_000 });
    await expect(action).toHaveAttribute("data-enabled", "false");
    await action.getByRole("button", { name: "Enable" }).click();
    await expect(action).toHaveAttribute("data-enabled", "true");

    const again = await openDesk(page);
    await callDesk(again, { title: "Today again", text: "a b" });
    await expect(again.getByTestId("call-output")).toContainText('"slug": "today-again"');
  });
});
