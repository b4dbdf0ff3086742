import { expect, test } from "./fixtures/test";
import { ADMIN } from "./fixtures/auth";

// A browser with no session: every page leads to sign-in, the API refuses, health answers.
test.describe("authentication", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("pages need a signed-in user; signing in returns to the page asked for", async ({ page }) => {
    await page.goto("/costs");
    await expect(page).toHaveURL(/\/login\?next=%2Fcosts$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/login.png", fullPage: true });

    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#field-password-error")).toHaveText("wrong email or password");

    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL("/costs");
    await expect(page.getByRole("heading", { level: 1, name: "Costs" })).toBeVisible();
    await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-state", "connected");
  });

  test("the form says which field is wrong before sending", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("must not be empty")).toBeVisible();
  });

  test("the API refuses without a session or key; setup is closed once an administrator exists; health is public", async ({ request }) => {
    const runs = await request.get("/api/v1/runs");
    expect(runs.status()).toBe(401);
    expect((await runs.json()).error.code).toBe("UNAUTHORIZED");
    const system = await request.get("/api/v1/system");
    expect(system.status()).toBe(401);
    const setup = await request.post("/api/v1/auth/setup", { data: { name: "Mallory", email: "m@example.com", password: "another long password" } });
    expect(setup.status()).toBe(409);
    expect((await request.get("/api/v1/health")).status()).toBe(200);
  });

  test("changes made with a session need the CSRF header", async ({ request }) => {
    const login = await request.post("/api/v1/auth/login", { data: { email: ADMIN.email, password: ADMIN.password } });
    expect(login.status()).toBe(200);
    const withoutToken = await request.post("/api/v1/auth/logout");
    expect(withoutToken.status()).toBe(403);
    expect((await withoutToken.json()).error.message).toMatch(/CSRF/);
    const state = await request.storageState();
    const csrf = state.cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
    const out = await request.post("/api/v1/auth/logout", { headers: { "x-csrf-token": csrf } });
    expect(out.status()).toBe(200);
    expect((await (await request.get("/api/v1/auth/session")).json()).user).toBeNull();
  });
});
