import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { request as playwrightRequest, type APIRequestContext, type Page } from "@playwright/test";
import { signIn } from "./fixtures/auth";
import { expect, test } from "./fixtures/test";
import { startServer, waitReady, type ServerProcess } from "./fixtures/server-process";

// Real providers end to end: two stand-in providers run as processes of their own (one speaks the
// OpenAI protocol, one Anthropic's Messages API), each with its own models and prices and one model
// with no price. The server starts with a program whose model variable names models of both; the
// providers are added in Settings, and everything after that goes through the product.
const PORT = Number(process.env.E2E_PORT ?? 3100) + 7;
const SHOTS = "test-results/screenshots";
const OPENAI = "oa-e2e";
const ANTHROPIC = "an-e2e";
const MODELS = {
  openai: [{ id: "gpt-4o-mini", price: { input: "0.15", output: "0.6", cacheRead: "0.075" } }, { id: "house-model" }],
  anthropic: [{ id: "claude-3-5-haiku-20241022", price: { input: "0.8", output: "4", cacheWrite: "1", cacheRead: "0.08" } }],
};
const CHOICES = [`${OPENAI}/gpt-4o-mini`, `${ANTHROPIC}/claude-3-5-haiku-20241022`, `${OPENAI}/house-model`];

const PROGRAM = `import { Predict, defineSignature, t } from "dspex";
import { defineServedProgram } from "dspex/runtime";
import { z } from "zod";

const signature = defineSignature({
  instructions: "Classify the sentiment of the product review.",
  inputs: { review: z.string().describe("A customer's review of a product.") },
  outputs: { sentiment: t.labels({ positive: "happy: love, great, excellent", negative: "unhappy: broken, terrible, refund", neutral: "neither: okay, average, fine" }) },
});
const review = (text: string, sentiment: string, split: "train" | "validation") => ({ inputs: { review: text }, outputs: { sentiment }, split });

export default defineServedProgram({
  name: "reviews",
  program: new Predict(signature, { settings: { model: ${JSON.stringify(CHOICES[0])} } }),
  variables: { models: ${JSON.stringify(CHOICES)}, temperature: false },
  dataset: [
    review("I love this kettle, it works well. Great buy.", "positive", "train"),
    review("The blender stopped working. Terrible, I want a refund.", "negative", "train"),
    review("It is okay, nothing special.", "neutral", "train"),
    review("Excellent headphones, I would recommend them.", "positive", "train"),
    review("Broken on arrival. Disappointed.", "negative", "validation"),
    review("Average quality, as described.", "neutral", "validation"),
  ],
  metric: (example, prediction) => (prediction.sentiment === example.outputs.sentiment ? 1 : 0),
});
`;

interface StandInProcess {
  readonly baseURL: string;
  stop(): Promise<void>;
}

/** Starts lib/testing/stand-in-main.ts on a free port and waits for its ready line. */
async function startStandIn(protocol: "openai" | "anthropic", configFile: string, apiKey: string): Promise<StandInProcess> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "lib/testing/stand-in-main.ts", "--protocol", protocol, "--port", "0", "--api-key", apiKey, "--config", configFile], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, "exit");
  const ready = new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const parsed = JSON.parse(line) as { ready?: boolean; baseURL?: string };
      if (parsed.ready && parsed.baseURL) resolve(parsed.baseURL);
    });
    void exited.then(() => reject(new Error(`the ${protocol} stand-in exited before it was ready: ${stderr}`)));
  });
  const baseURL = await ready;
  return {
    baseURL,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function addProvider(page: Page, p: { name: string; kind: string; baseURL: string; key: string; models: string[] }): Promise<void> {
  await page.getByRole("button", { name: "Add provider" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a provider" });
  await dialog.getByLabel("Name").fill(p.name);
  await dialog.getByLabel("Kind").selectOption(p.kind);
  await dialog.getByLabel("Base URL").fill(p.baseURL);
  await dialog.getByLabel("API key").fill(p.key);
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("provider-row").filter({ hasText: p.name });
  await row.getByRole("button", { name: "Test connection" }).click();
  const result = row.getByTestId("provider-test-result");
  await expect(result).toHaveAttribute("data-ok", "true");
  for (const model of p.models) {
    await expect(result).toContainText(model);
    await expect(row.locator(`[data-testid="provider-model"][data-model="${model}"]`)).toBeVisible();
  }
}

/** Saves the program's variables with `model` set to `choice`; returns the new version's number. */
async function saveVersionOn(page: Page, server: ServerProcess, choice: string): Promise<number> {
  await page.goto(`${server.url}/programs/reviews?tab=variables`);
  await expect(page.getByTestId("variables-form")).toBeVisible();
  await page.getByTestId("variable-model").getByRole("radio", { name: choice }).click();
  await expect(page.getByTestId("variable-model").getByRole("radio", { name: choice })).toHaveAttribute("aria-checked", "true");
  await page.getByPlaceholder("What changed and why").fill(`serve on ${choice}`);
  await page.getByRole("button", { name: "Save version" }).click();
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: /Saved as v(\d+)/ }).last();
  await expect(toast).toBeVisible();
  await expect(page).toHaveURL(/tab=versions/);
  return Number((await toast.innerText()).match(/Saved as v(\d+)/)![1]);
}

interface Prediction {
  output: { sentiment: string };
  cost: { usd: number | null } | number | null;
}

test.describe("real providers end to end", () => {
  let dir: string;
  let server: ServerProcess;
  let openai: StandInProcess;
  let anthropic: StandInProcess;
  const keys = { openai: "sk-e2e-openai-0123456789WXYZ", anthropic: "sk-ant-e2e-0123456789QRST" };

  test.beforeAll(async () => {
    // Two stand-in processes and a server of its own start here (a minute or two on a loaded machine).
    test.setTimeout(240_000);
    dir = await mkdtemp(path.join(tmpdir(), "dspex-providers-e2e-"));
    await writeFile(path.join(dir, "openai.json"), JSON.stringify(MODELS.openai));
    await writeFile(path.join(dir, "anthropic.json"), JSON.stringify(MODELS.anthropic));
    [openai, anthropic] = await Promise.all([
      startStandIn("openai", path.join(dir, "openai.json"), keys.openai),
      startStandIn("anthropic", path.join(dir, "anthropic.json"), keys.anthropic),
    ]);
    const programs = path.join(dir, "programs");
    await mkdir(programs);
    await writeFile(path.join(programs, "reviews.ts"), PROGRAM);
    // No environment provider: only what Settings holds serves these models.
    server = startServer({ DSPEX_DATA_DIR: path.join(dir, "data"), DSPEX_PROGRAMS_DIR: programs, DSPEX_LM_BASE_URL: "", OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "" }, PORT);
    await waitReady(server, 180_000);
  });

  test.afterAll(async () => {
    await server?.stop();
    await Promise.all([openai?.stop(), anthropic?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("providers from Settings serve versions, an optimization across both, and costs split by provider and model", async ({ page }) => {
    test.setTimeout(480_000);
    await signIn(page.request, server.url);

    // 1. Both providers in Settings; Test connection lists each one's models.
    await page.goto(`${server.url}/settings?tab=providers`);
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await addProvider(page, { name: OPENAI, kind: "openai-compatible", baseURL: openai.baseURL, key: keys.openai, models: ["gpt-4o-mini", "house-model"] });
    await addProvider(page, { name: ANTHROPIC, kind: "anthropic", baseURL: anthropic.baseURL, key: keys.anthropic, models: ["claude-3-5-haiku-20241022"] });
    await page.screenshot({ path: `${SHOTS}/providers-settings.png`, fullPage: true });

    // 2. One version of the program per model: v1 (the program's own model) on the OpenAI-protocol
    // provider's priced model, a new version on the Anthropic one's, and one on the unpriced model.
    await page.goto(`${server.url}/programs/reviews?tab=variables`);
    await expect(page.getByTestId("variable-model").getByRole("radio", { name: CHOICES[0] })).toHaveAttribute("aria-checked", "true");
    const onOpenAI = 1;
    const onAnthropic = await saveVersionOn(page, server, CHOICES[1]!);
    const onUnpriced = await saveVersionOn(page, server, CHOICES[2]!);

    // 3. Predictions through the API with a key, from each version.
    const created = await page.request.post(`${server.url}/api/v1/api-keys`, {
      data: { name: "providers e2e" },
      headers: { "x-csrf-token": await csrf(page.request), origin: server.url },
    });
    expect(created.status(), await created.text()).toBe(201);
    const apiKey = ((await created.json()) as { key: string }).key;
    const client = await playwrightRequest.newContext({ baseURL: server.url, storageState: { cookies: [], origins: [] } });
    const predict = async (version: number, review: string) => {
      const res = await client.post("/api/v1/programs/reviews/predict", { headers: { authorization: `Bearer ${apiKey}` }, data: { version, input: { review } } });
      expect(res.status(), await res.text()).toBe(200);
      return (await res.json()) as Prediction;
    };
    expect(["positive", "negative", "neutral"]).toContain((await predict(onOpenAI, "Great value, I love it.")).output.sentiment);
    expect(["positive", "negative", "neutral"]).toContain((await predict(onAnthropic, "Terrible, it broke at once.")).output.sentiment);
    expect(["positive", "negative", "neutral"]).toContain((await predict(onUnpriced, "It is fine, nothing special.")).output.sentiment);
    await client.dispose();

    // 4. An optimization whose model variable spans both providers.
    await page.goto(`${server.url}/optimizations/new?program=reviews`);
    await expect(page.getByLabel("Program")).toHaveValue("reviews");
    await expect(page.getByLabel("Dataset version")).not.toHaveValue("");
    // Only the model is searched, by TPE: every trial runs on one of the three models.
    for (const box of await page.getByRole("checkbox").all()) if (await box.isChecked()) await box.uncheck();
    await page.getByRole("checkbox", { name: /^model/ }).check();
    await page.getByLabel("Optimizer").selectOption("tpe");
    await page.getByLabel("Money (USD)").fill("");
    await page.getByLabel("LM calls").fill("40");
    await page.getByLabel("Time (seconds)").fill("120");
    await expect(page.getByTestId("estimate")).toHaveAttribute("data-state", "ready", { timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/providers-launch.png`, fullPage: true });
    await page.getByRole("button", { name: "Start optimization" }).click();
    await expect(page).toHaveURL(/\/optimizations\/(?!new)[^/?]+$/, { timeout: 30_000 });
    const optimizationId = page.url().split("/").pop()!;
    await expect(page.getByTestId("run-view")).toHaveAttribute("data-status", "completed", { timeout: 180_000 });
    await expect(page.getByTestId("trials-table")).toHaveAttribute("data-total", /^[1-9]\d*$/);
    await page.screenshot({ path: `${SHOTS}/providers-optimization.png`, fullPage: true });
    const trials = await page.request.get(`${server.url}/api/v1/optimizations/${optimizationId}/trials?limit=100`);
    expect(trials.status(), await trials.text()).toBe(200);
    const tried = new Set(((await trials.json()) as { items: { status: string; config: Record<string, unknown> }[] }).items.filter((t) => t.status === "complete").map((t) => String(t.config.model)));
    expect(tried).toContain(CHOICES[0]);
    expect(tried).toContain(CHOICES[1]);

    // 5. Costs: spend split by provider and by model; the unpriced model is "price unknown", not $0.
    await page.goto(`${server.url}/costs`);
    const byProvider = page.getByTestId("cost-by-provider");
    await expect(byProvider.locator(`[data-testid="cost-row"][data-key="${OPENAI}"]`)).toBeVisible({ timeout: 20_000 });
    await expect(byProvider.locator(`[data-testid="cost-row"][data-key="${ANTHROPIC}"]`)).toBeVisible();
    await expect(byProvider.locator(`[data-testid="cost-row"][data-key="${ANTHROPIC}"] [data-testid="cost-cell"]`)).toHaveText(/\$(0\.0*[1-9]|[1-9])/);
    const byModel = page.getByTestId("cost-by-model");
    const modelRow = (provider: string, model: string) => byModel.locator(`[data-testid="cost-row"][data-provider="${provider}"][data-key="${model}"]`);
    await expect(modelRow(OPENAI, "gpt-4o-mini").getByTestId("cost-cell")).toHaveText(/\$(0\.0*[1-9]|[1-9])/);
    await expect(modelRow(ANTHROPIC, "claude-3-5-haiku-20241022").getByTestId("cost-cell")).toHaveText(/\$(0\.0*[1-9]|[1-9])/);
    await expect(modelRow(OPENAI, "house-model").getByTestId("cost-cell")).toContainText("price unknown");
    await expect(modelRow(OPENAI, "house-model").getByTestId("cost-cell")).not.toContainText("$0");
    await expect(page.getByTestId("unpriced-note")).toContainText("no known price");
    await page.screenshot({ path: `${SHOTS}/providers-costs.png`, fullPage: true });
  });
});

async function csrf(request: APIRequestContext): Promise<string> {
  return (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
}
