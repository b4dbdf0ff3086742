import { request as playwrightRequest, type Page } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { startOpenAIServer, type OpenAIServer } from "../lib/dspex/testing";
import { ADMIN } from "./fixtures/auth";

const SHOTS = "test-results/screenshots";
const QA = { context: "DSPEx has a framework, a variable system and a runtime.", question: "What does DSPEx have?" };
const MEMBER = { name: "Grace Member", email: "grace.member@example.com", password: "a long enough passphrase" };
const PROVIDER_KEY = "sk-e2e-provider-secret-0123456789ABCD";
const NO_COOKIES = { cookies: [], origins: [] };

async function openTab(page: Page, name: string) {
  await page.getByRole("tab", { name }).click();
  await expect(page.getByRole("tab", { name })).toHaveAttribute("data-state", "active");
}

test.describe.serial("settings", () => {
  let lm: OpenAIServer;
  test.beforeAll(async () => {
    lm = await startOpenAIServer({ models: ["e2e-model-a", "e2e-model-b"] });
  });
  test.afterAll(async () => {
    await lm?.close();
  });

  test("an API key is shown once, serves the API, and is refused right after a revoke", async ({ page, baseURL }) => {
    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
    await page.getByLabel("Name").fill("e2e service");
    await page.getByLabel("Rate limit (requests/minute)").fill("abc");
    await page.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByTestId("api-key-rate-error")).toContainText("whole number");
    await page.getByLabel("Rate limit (requests/minute)").fill("120");
    await page.getByRole("button", { name: "Create key" }).click();

    const dialog = page.getByRole("dialog", { name: 'API key "e2e service" created' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText("shown only once");
    const key = (await dialog.getByTestId("created-api-key").textContent())?.trim() ?? "";
    expect(key).toMatch(/^dspx_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
    await page.screenshot({ path: `${SHOTS}/settings-api-key-created.png`, fullPage: true });
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId("api-key-row").filter({ hasText: "e2e service" });
    await expect(row).toContainText(key.split("_").slice(0, 3).join("_"));
    await expect(row).toContainText("120/min");
    // Never shown again: not on the page, not in the list API.
    expect(await page.content()).not.toContain(key);
    expect(await (await page.request.get("/api/v1/api-keys")).text()).not.toContain(key);

    const client = await playwrightRequest.newContext({ baseURL: baseURL!, storageState: NO_COOKIES });
    const predict = () => client.post("/api/v1/programs/qa/predict", { headers: { authorization: `Bearer ${key}` }, data: { input: QA } });
    expect((await predict()).status()).toBe(200);

    await row.getByRole("button", { name: "Revoke e2e service" }).click();
    const confirm = page.getByRole("dialog", { name: 'Revoke "e2e service"?' });
    await confirm.getByRole("button", { name: "Revoke key" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByTestId("api-key-row").filter({ hasText: "e2e service" })).toHaveCount(0);
    await page.getByLabel("Show revoked").check();
    await expect(page.getByTestId("api-key-row").filter({ hasText: "e2e service" })).toContainText("revoked");
    await page.screenshot({ path: `${SHOTS}/settings-api-keys.png`, fullPage: true });

    const refused = await predict();
    expect(refused.status()).toBe(401);
    expect((await refused.json()).error.message).toContain("revoked");
    await client.dispose();
  });

  test("an administrator adds a user; a short password is refused by its field", async ({ page }) => {
    await page.goto("/settings?tab=users");
    const form = page.getByRole("form", { name: "Add a user" });
    await form.getByLabel("Name").fill(MEMBER.name);
    await form.getByLabel("Email").fill(MEMBER.email);
    await form.getByLabel("Password").fill("short");
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByTestId("user-password-error")).toHaveText("must be at least 10 characters");
    await form.getByLabel("Password").fill(MEMBER.password);
    await form.getByRole("button", { name: "Add user" }).click();
    const row = page.getByTestId("user-row").filter({ hasText: MEMBER.email });
    await expect(row).toContainText("Member");
    await expect(row).toContainText("active");
    await expect(page.getByTestId("user-password-error")).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/settings-users.png`, fullPage: true });
  });

  test("a provider keeps its key on the server and its connection test succeeds", async ({ page }) => {
    await page.goto("/settings?tab=providers");
    await expect(page.getByTestId("providers-note")).toContainText("DSPEX_LM_BASE_URL");
    await page.getByRole("button", { name: "Add provider" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a provider" });
    await dialog.getByLabel("Name").fill("local-e2e");
    await dialog.getByLabel("Base URL").fill("not a url");
    await dialog.getByLabel("API key").fill(PROVIDER_KEY);
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await expect(dialog.getByTestId("provider-base-url-error")).toContainText("must be a URL");
    await dialog.getByLabel("Base URL").fill(lm.baseURL);
    await dialog.getByLabel("Default model (optional)").fill("e2e-model-a");
    await dialog.getByRole("button", { name: "Add provider" }).click();
    await expect(dialog).toBeHidden();

    const row = page.getByTestId("provider-row").filter({ hasText: "local-e2e" });
    await expect(row.getByTestId("provider-key-status")).toHaveText("set (ends in …ABCD)");
    expect(await page.content()).not.toContain(PROVIDER_KEY);
    const listed = await page.request.get("/api/v1/providers");
    expect(listed.status()).toBe(200);
    expect(await listed.text()).not.toContain(PROVIDER_KEY);

    await row.getByRole("button", { name: "Test connection" }).click();
    const result = row.getByTestId("provider-test-result");
    await expect(result).toHaveAttribute("data-ok", "true");
    await expect(result).toContainText("Connected in");
    await expect(result).toContainText("e2e-model-a, e2e-model-b");
    expect(await page.content()).not.toContain(PROVIDER_KEY);
    await page.screenshot({ path: `${SHOTS}/settings-providers.png`, fullPage: true });

    // Deleted again: its test server stops with this file, and the specs after it share this
    // server, whose programs would otherwise be routed to the provider's default model.
    await row.getByRole("button", { name: "Delete local-e2e" }).click();
    await page.getByRole("dialog", { name: 'Delete provider "local-e2e"?' }).getByRole("button", { name: "Delete provider" }).click();
    await expect(row).toHaveCount(0);
  });

  test("the price table lists built-in and seed prices and stores an override", async ({ page }) => {
    await page.goto("/settings?tab=prices");
    await expect(page.getByTestId("overrides-note")).toContainText("apply to every call");
    await expect(page.getByTestId("price-row").filter({ hasText: "^dspex-demo" }).first()).toBeVisible();
    await page.getByRole("button", { name: "Add override" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a price override" });
    await dialog.getByLabel("Model pattern (regular expression)").fill("^e2e-model");
    await dialog.getByLabel("Input $/1M tokens").fill("1.25");
    await dialog.getByLabel("Output $/1M tokens").fill("five");
    await dialog.getByRole("button", { name: "Store override" }).click();
    await expect(dialog.getByTestId("price-output-error")).toContainText("per million tokens");
    await dialog.getByLabel("Output $/1M tokens").fill("5");
    await dialog.getByRole("button", { name: "Store override" }).click();
    await expect(dialog).toBeHidden();
    await page.getByLabel("Origin").selectOption("override");
    await expect(page.getByTestId("price-row").filter({ hasText: "^e2e-model" })).toContainText("$1.25");
    await page.getByLabel("Which price applies to a model?").fill("e2e-model-a");
    await page.getByRole("button", { name: "Look up" }).click();
    // Applied at once: the lookup shows the override as the price the server charges.
    await expect(page.getByTestId("price-lookup-result")).toContainText("charged by the override entry ^e2e-model");
    await page.screenshot({ path: `${SHOTS}/settings-prices.png`, fullPage: true });
  });

  test("signing out, then in as a member: admin-only sections are closed to them", async ({ browser }) => {
    // A session of its own: signing out must not end the one the other specs share.
    const context = await browser.newContext({ storageState: NO_COOKIES });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByTestId("user-menu")).toContainText(ADMIN.name);
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    expect((await page.request.get("/api/v1/users")).status()).toBe(401);

    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Password").fill(MEMBER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByTestId("user-menu")).toContainText(MEMBER.name);
    await page.goto("/settings?tab=users");
    await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/settings-member.png`, fullPage: true });
    await openTab(page, "Providers");
    await expect(page.getByRole("heading", { name: "Administrators only" })).toBeVisible();
    expect((await page.request.get("/api/v1/users")).status()).toBe(403);
    expect((await page.request.get("/api/v1/providers")).status()).toBe(403);
    await openTab(page, "API keys");
    await expect(page.getByRole("heading", { name: "Your API keys" })).toBeVisible();
    await page.setViewportSize({ width: 390, height: 800 });
    await page.screenshot({ path: `${SHOTS}/settings-member-narrow.png`, fullPage: true });
    await context.close();
  });
});
