// A hostile model: a stand-in provider whose every reply is HTML and script, bidirectional-text
// tricks, combining-mark floods, emoji and 60,000 more characters, served through the production
// server of its own (npm start, DSPEX_LM_BASE_URL at the stand-in). The runs list, the trace (span
// and LM call details), the playground, a dataset with hostile rows and Settings with hostile names
// render it all as text: no script runs, no element is injected, no console error, and each page
// still answers afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { startOpenAIServer, type OpenAIServer, type ReceivedRequest } from "../lib/dspex/testing";
import { signIn } from "./fixtures/auth";
import { startServer, waitReady, type ServerProcess } from "./fixtures/server-process";

const PORT = Number(process.env.E2E_PORT ?? 3100) + 30;
const NO_COOKIES = { cookies: [], origins: [] };
const MARK = "hostile-7f3a";
const SCRIPTS = `<script>window.__pwned="script"</script><img src="x" data-pwned onerror="window.__pwned='img'"><svg onload="window.__pwned='svg'"></svg><a href="javascript:window.__pwned='link'">click</a><iframe src="javascript:window.__pwned='iframe'"></iframe>`;
const UNICODE = `\u202Egnp.exe\u202C \u2066isolated\u2069 ${"Z\u0338\u0321\u0322\u0349\u0333\u034E\u033F\u0344".repeat(40)} ${"😀👩‍👩‍👧‍👦".repeat(100)} \uFEFF\u200B\u200D`;
const REPLY = `${MARK} ${SCRIPTS} ${UNICODE} ${"x".repeat(60_000)}`;

/** The output fields a chat-adapter request asks for ("[[ ## answer ## ]]\n{answer}"), or of its JSON schema. */
function outputFields(r: ReceivedRequest): string[] {
  const schema = (r.body.response_format as { json_schema?: { schema?: { properties?: Record<string, unknown> } } } | undefined)?.json_schema?.schema?.properties;
  if (schema) return Object.keys(schema);
  const text = (r.body.messages ?? []).map((m) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content))).join("\n");
  const names = [...text.matchAll(/\[\[ ## (\w+) ## \]\]\n\{\1\}/g)].map((m) => m[1]!);
  return names.length > 0 ? [...new Set(names)] : ["answer"];
}

function hostileReply(r: ReceivedRequest) {
  const fields = outputFields(r);
  const usage = { promptTokens: 50, completionTokens: 20_000 };
  if (r.body.response_format) return { text: JSON.stringify(Object.fromEntries(fields.map((f) => [f, REPLY]))), usage };
  return { text: `${fields.map((f) => `[[ ## ${f} ## ]]\n${REPLY}`).join("\n\n")}\n\n[[ ## completed ## ]]`, usage };
}

interface Watch {
  readonly problems: string[];
}

/** Records dialogs, page errors and console errors; dismisses any dialog. */
function watch(page: Page): Watch {
  const problems: string[] = [];
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text().slice(0, 300)}`);
  });
  return { problems };
}

/** Nothing ran and nothing was injected; the page still answers. */
async function expectInert(page: Page, w: Watch): Promise<void> {
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator("[data-pwned], img[src='x'], svg[onload], iframe[src^='javascript']")).toHaveCount(0);
  await expect(page.locator("a[href^='javascript']")).toHaveCount(0);
  expect(w.problems).toEqual([]);
}

test.describe.serial("hostile model output", () => {
  test.describe.configure({ timeout: 180_000 });
  let lm: OpenAIServer;
  let server: ServerProcess;
  let dataDir: string;
  let context: BrowserContext;
  let csrf = "";
  let runId = "";

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(180_000);
    lm = await startOpenAIServer({ respond: hostileReply, models: ["hostile-model"] });
    dataDir = await mkdtemp(path.join(tmpdir(), "dspex-hostile-"));
    server = startServer({ DSPEX_DATA_DIR: dataDir, DSPEX_LM_BASE_URL: lm.baseURL, DSPEX_LM_API_KEY: "sk-hostile", DSPEX_LM_MODEL: "hostile-model", LOG_LEVEL: "warn" }, PORT);
    await waitReady(server, 240_000);
    context = await browser.newContext({ baseURL: server.url, storageState: NO_COOKIES });
    await signIn(context.request, server.url);
    csrf = (await context.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
    const predicted = await context.request.post("/api/v1/programs/qa/predict", {
      headers: { "x-csrf-token": csrf },
      data: { input: { context: `${MARK} context ${SCRIPTS}`, question: `${UNICODE} ${SCRIPTS}?` } },
    });
    expect(predicted.status(), await predicted.text()).toBe(200);
    runId = ((await predicted.json()) as { runId: string }).runId;
    const rows = [{ inputs: { context: SCRIPTS, question: UNICODE }, outputs: { answer: `${MARK} ${SCRIPTS}` } }].map((r) => JSON.stringify(r)).join("\n");
    const imported = await context.request.post("/api/v1/datasets/import", { headers: { "x-csrf-token": csrf }, data: { name: "hostile-rows", format: "jsonl", content: rows } });
    expect(imported.status(), await imported.text()).toBeLessThan(300);
    const key = await context.request.post("/api/v1/api-keys", { headers: { "x-csrf-token": csrf }, data: { name: `${MARK} <img src=x onerror=alert(1)> \u202Eyek` } });
    expect(key.status(), await key.text()).toBe(201);
  });

  test.afterAll(async () => {
    await context?.close();
    await server?.stop("SIGTERM");
    await lm?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("the runs list and the trace render the reply as text", async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto("/runs");
    await expect(page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`)).toBeVisible();
    await expectInert(page, w);

    await page.goto(`/runs/${runId}`);
    await expect(page.getByTestId("run-status")).toContainText("ok");
    const lmRow = page.getByTestId("span-tree").getByTestId("trace-lm-row").first();
    await lmRow.getByRole("button").first().click();
    const detail = page.getByTestId("lm-call-detail");
    await expect(detail.getByTestId("lm-response")).toContainText(`${MARK} <script>window.__pwned="script"</script>`);
    await expect(detail.getByTestId("lm-messages")).toContainText("<img src=\"x\" data-pwned");
    // Direction controls are shown, not obeyed.
    await expect(detail.getByTestId("lm-response")).toContainText("[U+202E]gnp.exe[U+202C]");
    await page.getByTestId("span-tree").getByTestId("trace-span-row").first().getByRole("button", { name: /program|qa|Predict/i }).last().click();
    await expect(page.getByTestId("span-detail")).toContainText(MARK);
    await expectInert(page, w);
    await page.close();
  });

  test("the playground shows the reply as text", async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto("/programs/qa?tab=playground");
    const form = page.getByTestId("playground-form");
    await form.getByLabel(/^context/).fill(SCRIPTS);
    await form.getByLabel(/^question/).fill(UNICODE);
    await form.getByRole("button", { name: "Run" }).click();
    await expect(page.getByTestId("playground-output")).toContainText(`${MARK} <script>`);
    await expectInert(page, w);
    await page.close();
  });

  test("dataset rows and names in Settings render as text", async () => {
    const page = await context.newPage();
    const w = watch(page);
    await page.goto("/datasets/hostile-rows");
    await expect(page.getByText(`${MARK} <script>`, { exact: false }).first()).toBeVisible();
    await expectInert(page, w);
    await page.goto("/settings");
    await expect(page.getByTestId("api-key-row").filter({ hasText: MARK })).toContainText("<img src=x onerror=alert(1)>");
    await expectInert(page, w);
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expectInert(page, w);
    await page.close();
  });
});
