import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { adminPost as post } from "./fixtures/api";
import { expect, test } from "./fixtures/test";

const suffix = Date.now().toString(36);

/** A stand-in for a Slack incoming webhook: records every JSON body POSTed to it. */
async function startWebhook(): Promise<{ url: string; bodies: { text: string; attachments: { text: string }[] }[]; close(): Promise<void> }> {
  const bodies: { text: string; attachments: { text: string }[] }[] = [];
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString("utf8")));
    req.on("end", () => {
      bodies.push(JSON.parse(text) as (typeof bodies)[number]);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T0/B0/x`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test.describe("alerts", () => {
  test("a budget at 80% raises an alert: the webhook receives it, the Alerts page and the badge show it, a person acknowledges it", async ({ page, request }) => {
    const hook = await startWebhook();
    try {
      expect((await post(request, "/api/v1/alerts/settings", { webhookUrl: hook.url })).status()).toBe(200);

      // A key of its own with a total budget, so no other test's spending counts.
      const created = (await (await post(request, "/api/v1/api-keys", { name: `alerts-${suffix}`, scopes: ["predict"] })).json()) as { key: string; apiKey: { id: string } };
      const budgetRes = await post(request, "/api/v1/budgets", { scope: "apiKey", scopeId: created.apiKey.id, period: "total", limitUsd: 1 });
      expect(budgetRes.status(), await budgetRes.text()).toBe(201);
      const budget = (await budgetRes.json()) as { id: string };
      const predict = (question: string) =>
        request.post("/api/v1/programs/qa/predict", { headers: { authorization: `Bearer ${created.key}` }, data: { input: { context: "Alerts tell people when a budget runs low.", question } } });
      const first = await predict(`What do alerts tell people? (${suffix})`);
      expect(first.status(), await first.text()).toBe(200);

      // The budget is set so that what was spent is 85% of it: the next call is refused (it could
      // overspend), and the budget's status at 85% raises the 50% and 80% alerts.
      let spent = 0;
      await expect
        .poll(async () => {
          const list = (await (await request.get(`/api/v1/budgets?scope=apiKey&scopeId=${created.apiKey.id}`)).json()) as { items: { spentUsd: number }[] };
          spent = list.items[0]?.spentUsd ?? 0;
          return spent;
        }, { timeout: 20_000 })
        .toBeGreaterThan(0);
      const limit = (Math.ceil((spent / 0.85) * 1e9) / 1e9).toFixed(9);
      expect((await post(request, `/api/v1/budgets/${budget.id}`, { limitUsd: limit })).status()).toBe(200);

      await page.goto("/alerts", { timeout: 60_000 });
      await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
      await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");

      const second = await predict(`And when does a budget run low? (${suffix})`);
      expect([200, 402]).toContain(second.status());

      await expect.poll(() => hook.bodies.map((b) => b.text), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/^\[DSPEx warning\] Budget at 80%: API key alerts-/));
      const message = hook.bodies.find((b) => b.text.includes("Budget at 80%"))!;
      expect(message.attachments[0]!.text).toMatch(/has spent \$\S+ of \$\S+ in total \(\d+%\)/);

      // Live: no reload; the alert arrives through the change feed.
      const row = page.getByTestId("alert-row").filter({ hasText: "Budget at 80%" }).filter({ hasText: `alerts-${suffix}` });
      await expect(row).toBeVisible({ timeout: 20_000 });
      await expect(row.getByTestId("alert-delivery")).toHaveText("sent to the webhook", { timeout: 20_000 });
      const badge = page.getByRole("navigation", { name: "Main" }).getByTestId("alerts-badge");
      await expect(badge).toBeVisible();
      const before = Number(await badge.textContent());
      await page.screenshot({ path: "test-results/screenshots/alerts.png", fullPage: true });

      await row.getByRole("button", { name: "Acknowledge" }).click();
      await expect(row).toHaveAttribute("data-acknowledged", "true");
      await expect(row).toContainText("acknowledged");
      if (before > 1) await expect(badge).toHaveText(String(before - 1));
      else await expect(badge).toBeHidden();
    } finally {
      await post(request, "/api/v1/alerts/settings", { webhookUrl: null });
      await hook.close();
    }
  });

  test("the alert settings name a field that does not fit", async ({ page }) => {
    await page.goto("/alerts", { timeout: 60_000 });
    const form = page.getByTestId("alert-settings-form");
    await expect(form.getByLabel("Window (minutes)")).toHaveValue("5");
    await form.getByLabel("Webhook URL").fill("ftp://example.com/hook");
    await form.getByLabel("Error rate above (%)").fill("250");
    await form.getByRole("button", { name: "Save alert settings" }).click();
    await expect(form.getByText(/must be an http\(s\) URL/)).toBeVisible();
    await expect(form.getByText("must be at most 100")).toBeVisible();
    await form.getByLabel("Webhook URL").fill("");
    await form.getByLabel("Error rate above (%)").fill("25");
    await form.getByRole("button", { name: "Save alert settings" }).click();
    await expect(form.getByRole("status")).toHaveText("Saved.");
    await expect(form.getByLabel("Error rate above (%)")).toHaveValue("25");
  });
});
