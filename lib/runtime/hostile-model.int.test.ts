// A model's reply is outside input: it may hold NUL characters and lone surrogates, which
// PostgreSQL's jsonb refuses. The prediction is still answered and its run recorded ok (NUL
// removed, a lone surrogate written as U+FFFD), on both databases, and the other predictions
// written in the same batch are not dragged down with it.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadConfig } from "../config";
import { BACKENDS, type TestDatabase } from "../db/testing";
import { startOpenAIServer, type OpenAIServer } from "../dspex/testing";
import { createLogger } from "../log";
import { startRuntime, type Runtime } from "./runtime";
import { servingDeps } from "./serving-deps";
import { createServingApi } from "./serving";
import { callApi, startTestServer, type TestServer } from "./serving/testing";
import { createApiKey } from "./store";

const SLOW = 180_000;
const REPLIES: Record<string, string> = { nul: "a\u0000b", high: "x\ud800y", low: "\udfffz", pair: "ok 😀", plain: "plain" };

describe.each(BACKENDS)("hostile model replies are recorded on $backend", ({ fresh }) => {
  let t: TestDatabase;
  let runtime: Runtime;
  let server: TestServer;
  let lm: OpenAIServer;
  let key: string;
  beforeAll(async () => {
    lm = await startOpenAIServer({
      respond: (r) => {
        const question = JSON.stringify(r.body.messages);
        const kind = Object.keys(REPLIES).find((k) => question.includes(`kind ${k}`)) ?? "plain";
        return { text: `[[ ## answer ## ]]\n${REPLIES[kind]}\n\n[[ ## completed ## ]]`, usage: { promptTokens: 10, completionTokens: 2 } };
      },
    });
    t = await fresh();
    const config = loadConfig({ DSPEX_DATA_DIR: t.config.dataDir, ...(t.config.url ? { DATABASE_URL: t.config.url } : {}), DSPEX_LM_BASE_URL: lm.baseURL, DSPEX_LM_API_KEY: "sk-test", DSPEX_LM_MODEL: "hostile", LOG_LEVEL: "silent" });
    runtime = await startRuntime(config, createLogger("silent", false));
    server = await startTestServer(createServingApi(servingDeps(runtime)));
    key = (await createApiKey(runtime.db.prisma, { name: "hostile model", scopes: ["predict", "read"] })).key;
  }, SLOW);
  afterAll(async () => {
    await server?.close();
    await runtime?.stop();
    await t?.destroy();
    await lm?.close();
  }, SLOW);

  test("every reply is answered 200 and its run recorded ok, NUL removed and lone surrogates as U+FFFD", async () => {
    const kinds = Object.keys(REPLIES);
    const replies = await Promise.all(kinds.map((k) => callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key, body: { input: { context: "DSPEx.", question: `kind ${k}` } } })));
    expect(replies.map((r) => r.status)).toEqual(kinds.map(() => 200));
    const recorded = await Promise.all(
      replies.map(async (r) => {
        const { runId } = r.json as { runId: string };
        const trace = (await callApi(server.url, "GET", `/api/v1/runs/${runId}`, { key })).json as { run: { status: string; output: { answer: string } } };
        return [trace.run.status, trace.run.output.answer];
      }),
    );
    expect(recorded).toEqual([
      ["ok", "ab"],
      ["ok", "x\ufffdy"],
      ["ok", "\ufffdz"],
      ["ok", "ok 😀"],
      ["ok", "plain"],
    ]);
  });
});
