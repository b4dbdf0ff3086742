import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures/test";
import { signIn } from "./fixtures/auth";
import { startServer, waitReady, type ServerProcess } from "./fixtures/server-process";

// A program kept outside the repository, importing only dspex and zod, served by `npm start` with
// DSPEX_PROGRAMS_DIR pointing at its folder, and edited while the server runs.
const text = (instructions: string) => `export const instructions: string = ${JSON.stringify(instructions)};\n`;
const PORT = Number(process.env.E2E_PORT ?? 3100) + 5;

const program = (extra = "") => `import { Predict, defineSignature } from "dspex";
import { defineServedProgram } from "dspex/runtime";
import { z } from "zod";
import { instructions } from "./_text";

const signature = defineSignature({
  instructions,
  inputs: { name: z.string() },
  outputs: { greeting: z.string() },
});
${extra}
export default defineServedProgram({ name: "greet", program: new Predict(signature) });
`;

interface ProgramsPage {
  items: { name: string; served: boolean; activeVersion: { number: number } | null }[];
  loadErrors: { path: string; line: number | null; message: string; servingPrevious: string[] }[];
}

async function programs(request: APIRequestContext, server: ServerProcess): Promise<ProgramsPage> {
  const res = await request.get(`${server.url}/api/v1/programs`);
  expect(res.ok(), `GET /api/v1/programs: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as ProgramsPage;
}

async function predict(request: APIRequestContext, server: ServerProcess, name = "greet") {
  const csrf = (await request.storageState()).cookies.find((c) => c.name === "dspex_csrf")?.value ?? "";
  return request.post(`${server.url}/api/v1/programs/${name}/predict`, { data: { input: { name: "Ada" } }, headers: { "x-csrf-token": csrf, origin: server.url } });
}

test.describe("programs anywhere, reloaded live", () => {
  let dir: string;
  let dataDir: string;
  let server: ServerProcess;

  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-my-programs-"));
    dataDir = await mkdtemp(path.join(tmpdir(), "dspex-anywhere-data-"));
    await writeFile(path.join(dir, "greet.ts"), program());
    await writeFile(path.join(dir, "_text.ts"), text("Greet the person by name."));
    server = startServer({ DSPEX_DATA_DIR: dataDir, DSPEX_PROGRAMS_DIR: dir }, PORT);
    await waitReady(server);
  });

  test.afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  test("an edit makes a new version without a restart; a broken edit shows with its line and the last good version keeps serving", async ({ page }) => {
    await signIn(page.request, server.url);
    const first = await programs(page.request, server);
    expect(first.items.find((p) => p.name === "greet")).toMatchObject({ served: true, activeVersion: { number: 1 } });
    expect(first.loadErrors).toEqual([]);
    const v1 = await predict(page.request, server);
    expect(v1.ok()).toBe(true);
    expect(await v1.json()).toMatchObject({ version: { number: 1 }, output: { greeting: expect.any(String) } });

    // Edit the instructions (in a file the program imports): version 2, without a restart.
    await writeFile(path.join(dir, "_text.ts"), text("Greet the person warmly, by name."));
    await expect.poll(async () => (await programs(page.request, server)).items.find((p) => p.name === "greet")?.activeVersion?.number, { timeout: 30_000 }).toBe(2);
    await expect.poll(async () => ((await (await predict(page.request, server)).json()) as { version: { number: number } }).version.number).toBe(2);

    // A broken edit (line 11 throws while the file runs): shown with its line; version 2 keeps serving.
    await writeFile(path.join(dir, "greet.ts"), program('const draft: number = 1;\nif (draft) throw new Error("half-finished edit");'));
    await expect.poll(async () => (await programs(page.request, server)).loadErrors, { timeout: 30_000 }).toEqual([
      { path: path.join(dir, "greet.ts"), line: 12, column: 18, message: expect.stringContaining("half-finished edit"), servingPrevious: ["greet"] },
    ]);
    const still = await predict(page.request, server);
    expect(still.ok()).toBe(true);
    expect(await still.json()).toMatchObject({ version: { number: 2 } });

    await page.goto(`${server.url}/programs`);
    const shown = page.getByTestId("program-load-error");
    await expect(shown).toContainText("greet.ts:12:18");
    await expect(shown).toContainText("half-finished edit");
    await expect(shown).toContainText("Still serving the last good code of greet");
    await expect(page.getByTestId("program-row-greet")).toContainText("v2");

    // A syntax error names its line too, and a file that never loaded is named by the 404.
    await writeFile(path.join(dir, "farewell.ts"), program().replace('name: "greet"', 'name: "farewell"').replace("outputs: {", "outputs: {{"));
    await expect.poll(async () => (await programs(page.request, server)).loadErrors.find((e) => e.path.endsWith("farewell.ts"))?.line, { timeout: 30_000 }).toBe(9);
    const missing = await predict(page.request, server, "farewell");
    expect(missing.status()).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/program "farewell" is not served: .*farewell\.ts:9:\d+: cannot be loaded/);

    // Each failure is logged once, however many reloads see it.
    await writeFile(path.join(dir, "greet.ts"), program());
    await writeFile(path.join(dir, "_text.ts"), text("Greet the person in Italian."));
    await expect.poll(async () => (await programs(page.request, server)).items.find((p) => p.name === "greet")?.activeVersion?.number, { timeout: 30_000 }).toBe(3);
    expect(server.output().match(/program skipped: \S*greet\.ts:12/g)).toHaveLength(1);
    expect(server.output().match(/program skipped: .*farewell\.ts:9/g)).toHaveLength(1);
  });
});
