import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { EMPTY_USAGE, LMError, type LM, type LMResponse } from "../../dspex";
import { createApiKey } from "../store";
import { useTestDatabase } from "../store/testing";
import { callApi, createTestServing, errorOf, startTestServer, type TestServer, type TestServing } from "./testing";

/** A model whose next answers are scripted: an error to throw, or a reply text. */
function scriptedLM(): LM & { next: (Error | string)[] } {
  const next: (Error | string)[] = [];
  return {
    provider: "scripted",
    next,
    async complete(): Promise<LMResponse> {
      const step = next.shift() ?? "[[ ## answer ## ]]\nok\n\n[[ ## completed ## ]]";
      if (step instanceof Error) throw step;
      return { text: step, finishReason: "stop", usage: EMPTY_USAGE, provider: "scripted", model: "scripted-1", cacheHit: false, latencyMs: 0 };
    },
  };
}

describe.each(BACKENDS)("model provider failures through the API on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const lm = scriptedLM();
  let s: TestServing;
  let server: TestServer;
  let key: string;
  const predict = () => callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key, body: { input: { context: "c", question: "q" } } });

  beforeAll(async () => {
    s = await createTestServing({ prisma: t.prisma, lm });
    server = await startTestServer(s.api);
    key = (await createApiKey(t.prisma, { scopes: ["predict", "read", "optimize", "manage"], name: "provider" })).key;
  });
  afterAll(() => server?.close());

  it("maps provider errors to typed 502/503/504 answers, each run recorded as failed", async () => {
    lm.next.push(new LMError("LM_RATE_LIMITED", "openai answered 429", { provider: "openai", status: 429, retryAfterMs: 2_000 }));
    const limited = await predict();
    expect(errorOf(limited, 503, "PROVIDER_UNAVAILABLE").message).toBe("the model provider cannot take this call now; retry later: openai answered 429");
    expect(limited.headers.get("retry-after")).toBe("2");

    lm.next.push(new LMError("LM_ERROR", "openai answered 500", { provider: "openai", status: 500 }));
    expect(errorOf(await predict(), 502, "LM_ERROR").message).toBe("the model provider failed: openai answered 500");

    lm.next.push(new LMError("LM_TIMEOUT", "no answer within 30000 ms", { provider: "openai" }));
    expect(errorOf(await predict(), 504, "LM_TIMEOUT").message).toContain("no answer within 30000 ms");

    lm.next.push(...Array.from({ length: 10 }, () => "I would rather not say."));
    expect(errorOf(await predict(), 502, "OUTPUT_PARSE").message).toMatch(/^the model's reply could not be turned into the program's outputs/);

    const runs = s.tracers.runs.slice(-4);
    expect(runs.map((r) => [r.status, r.finishCalls])).toEqual(Array.from({ length: 4 }, () => ["error", 1]));
    for (const r of runs) expect((await t.prisma.run.findUniqueOrThrow({ where: { id: r.runId } })).status).toBe("error");
    lm.next.length = 0;
    expect((await predict()).status).toBe(200);
  });
});
