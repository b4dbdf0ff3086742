import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "./fixtures/test";
import { signIn } from "./fixtures/auth";
import { startServer, waitReady, type ServerProcess } from "./fixtures/server-process";

// A server of its own with a programs folder holding a program whose `tone` input is a variable
// (t.variable: the version carries its tuned value) and a file that does not compile.
const PORT = Number(process.env.E2E_PORT ?? 3100) + 6;

const TONE = `import { Predict, defineSignature, t } from "dspex";
import { defineServedProgram } from "dspex/runtime";
import { z } from "zod";

const signature = defineSignature({
  instructions: "Answer the question in the tone asked for.",
  inputs: { question: z.string(), tone: t.variable(t.labels(["formal", "casual"]), { default: "formal" }) },
  outputs: { answer: z.string() },
});

export default defineServedProgram({ name: "tone", program: new Predict(signature) });
`;

const BROKEN = `import { defineServedProgram } from "dspex/runtime";
export default defineServedProgram({ name: "broken", program: {{ });
`;

test.describe("program inputs and load errors", () => {
  let dir: string;
  let dataDir: string;
  let server: ServerProcess;

  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-inputs-programs-"));
    dataDir = await mkdtemp(path.join(tmpdir(), "dspex-inputs-data-"));
    await writeFile(path.join(dir, "tone.ts"), TONE);
    await writeFile(path.join(dir, "broken.ts"), BROKEN);
    server = startServer({ DSPEX_DATA_DIR: dataDir, DSPEX_PROGRAMS_DIR: dir, LOG_LEVEL: "warn" }, PORT);
    await waitReady(server);
  });

  test.afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  test("a program file that does not load is shown on the Programs page with its line", async ({ page }) => {
    await signIn(page.request, server.url);
    await page.goto(`${server.url}/programs`);
    const shown = page.getByTestId("program-load-error");
    await expect(shown).toContainText("broken.ts:2");
    await expect(page.getByTestId("program-row-tone")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/programs-load-error.png", fullPage: true });
  });

  test("a variable input is not required, shows the version's tuned value, and a typed value says it overrides it", async ({ page }) => {
    await signIn(page.request, server.url);
    const csrf = (await page.context().cookies()).find((c) => c.name === "dspex_csrf")?.value ?? "";
    const tuned = await page.request.post(`${server.url}/api/v1/programs/tone/versions`, {
      headers: { "x-csrf-token": csrf, origin: server.url },
      data: { config: { tone: "casual" }, message: "casual by default", activate: true },
    });
    expect(tuned.status(), await tuned.text()).toBe(201);
    const version = ((await tuned.json()) as { number: number }).number;

    await page.goto(`${server.url}/programs/tone?tab=playground`);
    const form = page.getByTestId("playground-form");
    await expect(form.getByTestId("tuned-tone")).toHaveText(`variable · v${version}: casual`);
    await expect(form.getByTestId("tuned-tone")).not.toContainText("optional");

    // Left empty, the run uses the version's value: nothing is required of it.
    await form.getByLabel(/^question/).fill("How do I reset my password?");
    await form.getByRole("button", { name: "Run" }).click();
    await expect(page.getByTestId("playground-output")).toContainText("answer");
    await expect(form.getByText("is required")).toHaveCount(0);
    await expect(form.getByTestId("override-tone")).toHaveCount(0);

    // A value chosen here overrides the tuned one, and the page says so.
    await form.getByLabel(/^tone/).selectOption("formal");
    await expect(form.getByTestId("override-tone")).toContainText(`instead of v${version}'s casual`);
    await page.screenshot({ path: "test-results/screenshots/playground-variable-override.png", fullPage: true });
  });
});
