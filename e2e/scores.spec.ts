import { type APIRequestContext, type APIResponse } from "@playwright/test";
import { expect, test } from "./fixtures/test";

const suffix = Date.now().toString(36);

/** A POST as the signed-in admin, retried while the server sheds load (503 with Retry-After). */
async function post(request: APIRequestContext, path: string, data: unknown): Promise<APIResponse> {
  const csrf = (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
  const send = () => request.post(path, { data, headers: { "x-csrf-token": csrf } });
  let res = await send();
  for (let i = 0; i < 5 && res.status() === 503; i++) {
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers()["retry-after"] ?? 1)));
    res = await send();
  }
  expect(res.ok(), await res.text()).toBe(true);
  return res;
}

test.describe("scores", () => {
  test("scores a trace by hand (thumbs, a label and comment) and by an LM judge, then reviews it from an annotation queue", async ({ page, request }) => {
    const run = (await (await post(request, "/api/v1/programs/classify/predict", { input: { ticket: `I was charged twice for ${suffix}, please refund` } })).json()) as {
      runId: string;
      output: Record<string, unknown>;
    };

    await page.goto(`/runs/${run.runId}`);
    const rows = page.getByTestId("score-row");
    await expect(page.getByText("No scores yet")).toBeVisible();

    // By hand: thumbs up, then a label with a comment.
    await page.getByRole("button", { name: "Thumbs up" }).click();
    await expect(page.locator('[data-testid="score-row"][data-name="thumbs"]')).toContainText("up");
    const labelForm = page.getByRole("form", { name: "Label and comment" });
    await labelForm.getByLabel("Label").fill("billing-ok");
    await labelForm.getByLabel("Comment").fill(`right queue ${suffix}`);
    await labelForm.getByRole("button", { name: "Add score" }).click();
    await expect(page.locator('[data-testid="score-row"][data-name="review"]')).toContainText("billing-ok");
    await expect(page.locator('[data-testid="score-row"][data-name="review"]')).toContainText(`right queue ${suffix}`);

    // By an LM judge: against the run's own output as the reference it scores high, against a wrong one low.
    const judge = page.getByRole("form", { name: "LM judge" });
    await judge.getByLabel("Judge criteria").fill("The category is the right queue for the ticket.");
    await judge.getByLabel(/Reference outputs/).fill(JSON.stringify(run.output));
    await judge.getByRole("button", { name: "Judge with LM" }).click();
    const judged = page.locator('[data-testid="score-row"][data-source="judge"]');
    await expect(judged).toHaveCount(1);
    await expect(judged).toContainText("LM judge");
    expect(Number(await judged.getByTestId("score-value").innerText())).toBeGreaterThanOrEqual(0.9);
    await judge.getByLabel(/Reference outputs/).fill('{"category": "no-such-queue"}');
    await judge.getByRole("button", { name: "Judge with LM" }).click();
    await expect(judged).toHaveCount(2);
    expect(Number(await judged.nth(1).getByTestId("score-value").innerText())).toBeLessThan(0.5);
    await expect(rows).toHaveCount(4);
    await page.screenshot({ path: "test-results/screenshots/scores.png", fullPage: true });

    // An annotation queue hands the run to a reviewer; "Good, next" scores it and empties the queue.
    const queue = (await (await post(request, "/api/v1/annotation-queues", { name: `review ${suffix}`, scoreNames: ["thumbs"] })).json()) as { id: string };
    await post(request, `/api/v1/annotation-queues/${queue.id}/items`, { runIds: [run.runId] });
    await page.goto(`/annotation-queues/${queue.id}`);
    await expect(page.getByTestId("queue-counts")).toHaveText("1 pending · 0 done");
    await expect(page.getByTestId("queue-item")).toHaveAttribute("data-run-id", run.runId);
    await page.getByLabel("Comment (optional)").fill("reviewed");
    await page.getByRole("button", { name: "Good, next" }).click();
    await expect(page.getByText("Nothing left to review")).toBeVisible();
    await expect(page.getByTestId("queue-counts")).toHaveText("0 pending · 1 done");
    await page.goto(`/runs/${run.runId}`);
    await expect(page.locator('[data-testid="score-row"][data-name="thumbs"]')).toHaveCount(2);
  });
});
