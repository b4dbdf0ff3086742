import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/test";

async function predict(request: APIRequestContext, program: string, input: Record<string, unknown>): Promise<void> {
  const state = await request.storageState();
  const csrf = state.cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
  const res = await request.post(`/api/v1/programs/${program}/predict`, { data: { input }, headers: { "x-csrf-token": csrf } });
  expect(res.status(), await res.text()).toBe(200);
}

test.describe("overview", () => {
  test("throughput, latency and spend update live after predictions", async ({ page, request }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
    const chart = page.getByTestId("throughput-chart");
    const before = Number(await chart.getAttribute("data-total"));
    const callsBefore = await page.getByTestId("overview-spend").innerText();

    for (const ticket of ["refund please", "cannot sign in", "love the product"]) await predict(request, "classify", { ticket });

    // The numbers follow the events (no reload, no polling).
    await expect(chart).toHaveAttribute("data-total", String(before + 3));
    await expect(page.getByTestId("overview-throughput")).toContainText(`${before + 3} runs in the last hour`);
    await expect(page.getByTestId("overview-throughput")).not.toContainText("0.00/min");
    await expect(page.getByTestId("overview-spend")).not.toHaveText(callsBefore);
    await expect(page.getByTestId("overview-latency")).toContainText(/\d/);
    await expect(page.getByTestId("overview-error-rate")).toContainText("%");
    await expect(page.getByTestId("overview-supervision")).toContainText(/\d+\/\d+/);
    // The system panel the shell checks is still there.
    await expect(page.getByTestId("database-backend")).toHaveText("Embedded PGlite");
    await expect(page.getByTestId("memory-chart")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/overview-live.png", fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/screenshots/overview-narrow.png", fullPage: true });
  });

  test("the agents page shows the live supervision tree under the root supervisor", async ({ page, request }) => {
    await page.goto("/agents");
    await expect(page.getByRole("heading", { level: 1, name: "Agents" })).toBeVisible();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
    await expect(page.getByTestId("root-supervisor")).toHaveText("root");
    for (const id of ["retention", "instance-heartbeat", "jobs"]) {
      const child = page.locator(`[data-testid="supervision-child"][data-child-id="${id}"]`).first();
      await expect(child).toBeVisible();
      await expect(child).toHaveAttribute("data-state", "running");
    }
    // Empty on a fresh server; e2e/agents.spec.ts (run before this file) leaves a demo-team system.
    await expect(page.getByText("No agent systems yet").or(page.getByTestId("agent-system-row").first())).toBeVisible();
    const api = await (await request.get("/api/v1/supervision")).json();
    expect(api.available).toBe(true);
    await page.screenshot({ path: "test-results/screenshots/agents.png", fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: "test-results/screenshots/agents-narrow.png", fullPage: true });
  });
});
