// Least privilege in the dashboard: a viewer reads every page and finds no control that would
// change something or spend money (the API would refuse it with 403); an administrator sees the
// same controls on the same pages. API keys are created with chosen permissions and programs,
// and the key does exactly that.
import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from "@playwright/test";

const VIEWER = { name: "Vera Viewer", email: "vera.viewer@example.com", password: "a long enough viewer passphrase", role: "viewer" } as const;
const NO_COOKIES = { cookies: [], origins: [] };
const QA = { context: "DSPEx has a framework, a variable system and a runtime.", question: "What does DSPEx have?" };
const DATASET = "roles-e2e";

/** Controls that change something or spend money, by role and name, on the pages that have them. */
const MUTATING: { readonly role: "button" | "link"; readonly name: string | RegExp }[] = [
  { role: "button", name: "Create key" },
  { role: "button", name: /^Revoke / },
  { role: "button", name: "Promote" },
  { role: "button", name: "Roll back" },
  { role: "button", name: "Save version" },
  { role: "button", name: "Add demo" },
  { role: "button", name: "Run" },
  { role: "button", name: "Import" },
  { role: "button", name: "Split" },
  { role: "link", name: "New optimization" },
  { role: "button", name: "Stop" },
  { role: "button", name: "Resume" },
  { role: "button", name: /Apply best/ },
  { role: "button", name: "Run the demo team" },
  { role: "button", name: "Save view" },
  { role: "button", name: "Delete view" },
  { role: "button", name: "To dataset…" },
  { role: "button", name: "Add to dataset" },
  { role: "button", name: "Thumbs up" },
  { role: "button", name: "Thumbs down" },
  { role: "button", name: /judge/i },
  { role: "button", name: /^Edit budget/ },
  { role: "button", name: /^Delete budget/ },
  { role: "button", name: /Launch/ },
];

async function csrfOf(api: APIRequestContext): Promise<string> {
  return (await api.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
}

/**
 * Opens a page until it is ready: on a loaded test machine the embedded database can time out
 * starting a transaction (Prisma P2028) and the page shows its error screen; a reload then works.
 * What is checked here is which controls a role sees, not that.
 */
async function open(page: Page, path: string, ready: (page: Page) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.goto(path);
    try {
      await ready(page);
      return;
    } catch (err) {
      if (attempt === 3 || !(await page.getByText("This page couldn’t load").isVisible())) throw err;
    }
  }
}

async function mutatingOn(page: Page): Promise<string[]> {
  const found: string[] = [];
  for (const c of MUTATING) if ((await page.getByRole(c.role, { name: c.name, exact: typeof c.name === "string" }).count()) > 0) found.push(`${c.role} ${String(c.name)}`);
  return found;
}

test.describe.serial("roles in the dashboard", () => {
  let runId = "";
  const pages: { path: string; ready: (page: Page) => Promise<void> }[] = [];

  test.beforeAll(async ({ request }) => {
    const csrf = await csrfOf(request);
    const headers = { "x-csrf-token": csrf };
    const user = await request.post("/api/v1/users", { headers, data: VIEWER });
    expect([201, 409]).toContain(user.status());
    const predicted = await request.post("/api/v1/programs/qa/predict", { headers, data: { input: QA } });
    expect(predicted.status()).toBe(200);
    runId = ((await predicted.json()) as { runId: string }).runId;
    const rows = JSON.stringify({ inputs: QA, outputs: { answer: "a framework" } });
    const imported = await request.post("/api/v1/datasets/import", { headers, data: { name: DATASET, format: "jsonl", content: rows } });
    expect(imported.status(), await imported.text()).toBeLessThan(300);
    const heading = (name: string | RegExp) => async (page: Page) => void (await expect(page.getByRole("heading", { level: 1, name })).toBeVisible());
    pages.push(
      { path: "/", ready: heading("Overview") },
      { path: "/programs", ready: heading("Programs") },
      { path: "/programs/qa?tab=versions", ready: async (page) => void (await expect(page.getByTestId("active-version")).toBeVisible()) },
      { path: "/programs/qa?tab=variables", ready: async (page) => void (await expect(page.getByRole("tab", { name: /Variables/ })).toHaveAttribute("data-state", "active")) },
      { path: "/programs/qa?tab=playground", ready: async (page) => void (await expect(page.getByRole("tab", { name: /Playground/ })).toHaveAttribute("data-state", "active")) },
      { path: "/runs", ready: async (page) => void (await expect(page.getByTestId("run-row").first()).toBeVisible()) },
      { path: `/runs/${runId}`, ready: async (page) => void (await expect(page.getByTestId("run-status")).toContainText("ok")) },
      { path: "/runs/search", ready: async (page) => void (await expect(page.getByLabel("View name").or(page.getByRole("button", { name: "Search" })).first()).toBeVisible()) },
      { path: "/datasets", ready: heading("Datasets") },
      { path: `/datasets/${DATASET}`, ready: async (page) => void (await expect(page.getByTestId("versions-list")).toBeVisible()) },
      { path: "/optimizations", ready: heading("Optimizations") },
      { path: "/optimizations/new", ready: heading("New optimization") },
      { path: "/agents", ready: async (page) => void (await expect(page.getByText("Agent systems").first()).toBeVisible()) },
      { path: "/costs", ready: heading(/Costs/) },
      { path: "/settings", ready: heading("Settings") },
    );
  });

  test("a viewer reads every page and finds no control that changes anything", async ({ baseURL, browser }) => {
    test.setTimeout(300_000);
    const context = await browser.newContext({ baseURL: baseURL!, storageState: NO_COOKIES });
    const login = await context.request.post("/api/v1/auth/login", { data: { email: VIEWER.email, password: VIEWER.password } });
    expect(login.status(), await login.text()).toBe(200);
    const page = await context.newPage();
    const seen: Record<string, string[]> = {};
    for (const p of pages) {
      await open(page, p.path, p.ready);
      // The session (and with it the role) is known once the user menu shows.
      await expect(page.getByRole("button", { name: `Account: ${VIEWER.name}` })).toBeVisible();
      seen[p.path] = await mutatingOn(page);
    }
    expect(seen).toEqual(Object.fromEntries(pages.map((p) => [p.path, []])));
    await page.goto("/programs/qa?tab=playground");
    await expect(page.getByTestId("role-note")).toContainText("not run programs");
    await context.close();
  });

  test("an administrator sees those controls on the same pages", async ({ page }) => {
    test.setTimeout(240_000);
    const expected: Record<string, string> = {
      "/programs/qa?tab=variables": "button Save version",
      "/programs/qa?tab=playground": "button Run",
      "/datasets": "button Import",
      "/optimizations": "link New optimization",
      "/settings": "button Create key",
    };
    for (const [path, control] of Object.entries(expected)) {
      const p = pages.find((x) => x.path === path)!;
      await open(page, path, p.ready);
      await expect.poll(async () => mutatingOn(page)).toContain(control);
    }
    await page.goto(`/runs/${runId}`);
    await expect(page.getByRole("button", { name: "Thumbs up" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Add to dataset" })).toBeVisible();
  });

  test("an API key made with chosen permissions and programs does exactly that", async ({ page, baseURL }) => {
    await page.goto("/settings");
    const form = page.getByRole("form", { name: "Create an API key" });
    await form.getByLabel("Name").fill("reader of qa");
    await form.getByRole("checkbox", { name: /^predict/ }).uncheck();
    await form.getByRole("button", { name: "Create key" }).click();
    await expect(page.getByTestId("api-key-scopes-error")).toHaveText("choose at least one permission");
    await form.getByRole("checkbox", { name: /^read/ }).check();
    await form.getByTestId("api-key-programs").getByRole("checkbox", { name: "qa", exact: true }).check();
    await form.getByRole("button", { name: "Create key" }).click();
    const dialog = page.getByRole("dialog", { name: 'API key "reader of qa" created' });
    const key = (await dialog.getByTestId("created-api-key").textContent())?.trim() ?? "";
    await dialog.getByRole("button", { name: "I have copied it" }).click();
    const row = page.getByTestId("api-key-row").filter({ hasText: "reader of qa" });
    await expect(row.getByTestId("api-key-scopes")).toHaveText("read");
    await expect(row.getByTestId("api-key-programs-cell")).toHaveText("qa");

    const client = await playwrightRequest.newContext({ baseURL: baseURL!, storageState: NO_COOKIES, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
    expect((await client.get("/api/v1/runs?limit=1")).status()).toBe(200);
    const refused = await client.post("/api/v1/programs/qa/predict", { data: { input: QA } });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.fields).toEqual([{ field: "scope", message: "needs predict" }]);
    await client.dispose();
  });
});
