// The serving API on a whole runtime: a prediction's run is committed, ok with its output, before
// its response is written (no flush, no wait: read straight after the answer).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../config";
import { BACKENDS, type TestDatabase } from "../db/testing";
import { createLogger } from "../log";
import { startRuntime, type Runtime } from "./runtime";
import { servingDeps } from "./serving-deps";
import { createServingApi } from "./serving";
import { callApi, startTestServer, type TestServer } from "./serving/testing";
import { createApiKey } from "./store";

const SLOW = 180_000;

describe.each(BACKENDS)("answered predictions are recorded before the answer on $backend", ({ fresh }) => {
  let t: TestDatabase;
  let runtime: Runtime;
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    t = await fresh();
    const config = loadConfig({ DSPEX_DATA_DIR: t.config.dataDir, ...(t.config.url ? { DATABASE_URL: t.config.url } : {}), DSPEX_DEMO_LATENCY_MS: "0", LOG_LEVEL: "silent" });
    runtime = await startRuntime(config, createLogger("silent", false));
    server = await startTestServer(createServingApi(servingDeps(runtime)));
    key = (await createApiKey(runtime.db.prisma, { name: "durable" })).key;
  }, SLOW);
  afterAll(async () => {
    await server?.close();
    await runtime?.stop();
    await t?.destroy();
  }, SLOW);

  test("40 concurrent predictions: each run is ok with its output in the database when its answer arrives", async () => {
    const seen = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const reply = await callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key, body: { input: { context: "DSPEx records runs.", question: `What does DSPEx record? (${i})` } } });
        expect(reply.status).toBe(200);
        const body = reply.json as { runId: string; output: Record<string, unknown> };
        const run = await runtime.db.prisma.run.findUnique({ where: { id: body.runId }, select: { status: true, output: true } });
        return { run, output: body.output };
      }),
    );
    for (const { run, output } of seen) {
      expect(run?.status).toBe("ok");
      expect(run?.output).toEqual(output);
    }
  });
});
