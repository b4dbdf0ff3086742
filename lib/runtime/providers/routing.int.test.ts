import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../config";
import { BACKENDS } from "../../db/testing";
import { startOpenAIServer, type OpenAIServer } from "../../dspex/testing";
import { createLogger } from "../../log";
import { composeLM, Predict } from "../../dspex";
import { createDatabaseLedger, windowStart } from "../resources";
import { usdToNano } from "../resources/budget-types";
import { withLMCallRecording, type EventSink } from "../events";
import { createLMStack, type LMStack } from "../lm-stack";
import { createSecretBox } from "../secrets";
import { createProvider, updateProvider } from "../store";
import { useTestDatabase } from "../store/testing";
import { DEFAULT_STAND_IN_MODELS, startStandIn, type StandIn } from "../../testing";

const ask = (lm: ReturnType<LMStack["forScopes"]>, model?: string) => lm.complete({ messages: [{ role: "user", content: "hi" }], ...(model !== undefined && { model }) });

describe.each(BACKENDS)("routing calls to providers by model on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  const secrets = createSecretBox({ key: randomBytes(32), dataDir: "/nonexistent" });
  let alpha: OpenAIServer;
  let beta: OpenAIServer;
  let gamma: OpenAIServer;
  let claude: StandIn;
  beforeAll(async () => {
    claude = await startStandIn({ protocol: "anthropic", models: DEFAULT_STAND_IN_MODELS.anthropic, apiKey: "sk-ant-test" });
    alpha = await startOpenAIServer({ models: ["alpha-small", "alpha-large"], respond: () => ({ text: "from alpha" }) });
    beta = await startOpenAIServer({ models: ["beta-1"], respond: () => ({ text: "from beta" }) });
    gamma = await startOpenAIServer({ respond: () => ({ text: "from gamma" }) });
  });
  afterAll(async () => {
    await Promise.all([alpha.close(), beta.close(), gamma.close(), claude.close()]);
  });

  it("sends each call to the provider its model names, with that provider's key and headers; changes apply without a restart", async () => {
    await createProvider(t.prisma, {
      name: "alpha",
      kind: "openai-compatible",
      baseUrl: alpha.baseURL,
      encryptedKey: await secrets.seal("sk-alpha-key"),
      encryptedHeaders: await secrets.seal(JSON.stringify({ "X-Team": "search" })),
      defaultModel: null,
      models: [{ id: "alpha-small", source: "listed" }],
    });
    const betaRow = await createProvider(t.prisma, { name: "beta", kind: "vllm", baseUrl: beta.baseURL, encryptedKey: null, defaultModel: null, models: [{ id: "beta-1", source: "typed" }] });
    const stack = createLMStack({ config: loadConfig({}), db: t.db, log: createLogger("silent", false), onEvent: () => {}, secrets, providersPollMs: 50 });
    try {
      const lm = stack.forScopes({});
      // "provider/model" names the provider; a bare model goes to the provider listing it.
      const a = await ask(lm, "alpha/alpha-large");
      expect(a).toMatchObject({ text: "from alpha", provider: "alpha", model: "alpha-large" });
      expect(alpha.requests.at(-1)).toMatchObject({ body: { model: "alpha-large" }, headers: { authorization: "Bearer sk-alpha-key", "x-team": "search" } });
      expect(await ask(lm, "beta-1")).toMatchObject({ text: "from beta", provider: "beta", model: "beta-1" });
      expect(await ask(lm, "alpha-small")).toMatchObject({ provider: "alpha" });
      expect(stack.resolve("beta/anything")).toEqual({ provider: "beta", model: "anything" });
      // The demo model answers only when asked for by name once providers exist.
      expect(await ask(lm, "dspex-demo-1")).toMatchObject({ provider: "demo" });
      await expect(ask(lm, "gpt-unknown")).rejects.toThrow(/model "gpt-unknown" is served by no provider \(configured: alpha \(alpha-small\); beta \(beta-1\)\)/);
      await expect(ask(lm)).rejects.toThrow(/names no model/);
      expect(lm.defaultModel).toBeUndefined();

      // A change written by another process (straight to the database) is picked up by the poll.
      await updateProvider(t.prisma, betaRow.id, { baseUrl: gamma.baseURL });
      await vi.waitFor(async () => expect((await ask(lm, "beta-1")).text).toBe("from gamma"), { timeout: 10_000, interval: 50 });
      // And this process's own change applies at once.
      await updateProvider(t.prisma, betaRow.id, { baseUrl: beta.baseURL, defaultModel: "beta-1" });
      await stack.refreshProviders();
      expect((await ask(lm, "beta-1")).text).toBe("from beta");
      // With no environment provider, a call naming no model goes to the provider with a default model.
      expect(await ask(lm)).toMatchObject({ provider: "beta", model: "beta-1" });
      // Estimates price a program that names no model at the model such a call goes to.
      expect(lm.defaultModel).toBe("beta-1");
    } finally {
      stack.stop();
    }
  });

  it("speaks the Anthropic Messages API natively to an Anthropic provider, its models listed by Test connection", async () => {
    await createProvider(t.prisma, { name: "claude", kind: "anthropic", baseUrl: claude.baseURL, encryptedKey: await secrets.seal("sk-ant-test"), defaultModel: null, models: [{ id: "claude-3-5-haiku-20241022", source: "listed" }] });
    const stack = createLMStack({ config: loadConfig({}), db: t.db, log: createLogger("silent", false), onEvent: () => {}, secrets });
    try {
      await stack.refreshProviders();
      const lm = stack.forScopes({});
      const before = claude.requestCount;
      const r = await ask(lm, "claude-3-5-haiku-20241022");
      expect(r).toMatchObject({ provider: "claude", model: "claude-3-5-haiku-20241022" });
      expect(r.usage.inputTokens).toBeGreaterThan(0);
      expect(claude.requests.slice(before).map((q) => q.model)).toEqual(["claude-3-5-haiku-20241022"]);
      expect(claude.requests.at(-1)!.body).toHaveProperty("max_tokens");
      // The price of a provider's model is looked up by the kind behind its name.
      expect(stack.prices.lookup("claude-3-5-haiku-20241022", "claude")).toBeDefined();
      expect(stack.prices.lookup("house-claude", "claude")).toBeUndefined();
    } finally {
      stack.stop();
    }
  });

  it("records a call to an unpriced model as price unknown, and a money budget refuses that model before any call, recorded as refused", async () => {
    const stand = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai });
    await createProvider(t.prisma, { name: "stand", kind: "openai-compatible", baseUrl: stand.baseURL, encryptedKey: null, defaultModel: null, models: [{ id: "gpt-4o-mini", source: "listed" }, { id: "house-model", source: "listed" }] });
    const stack = createLMStack({ config: loadConfig({}), db: t.db, log: createLogger("silent", false), onEvent: () => {}, secrets });
    const recorded: Record<string, unknown>[] = [];
    const sink = { emit: async (_name: string, payload: unknown) => void recorded.push(payload as Record<string, unknown>) } as unknown as EventSink;
    try {
      await stack.refreshProviders();
      await stack.refreshPrices();
      const lm = composeLM(stack.forScopes({}), withLMCallRecording(sink, {}, undefined, stack.describeCall));
      await ask(lm, "stand/house-model");
      await ask(lm, "stand/gpt-4o-mini");
      const budget = await t.prisma.budget.create({ data: { scope: "global", period: "day", limitUsd: "100" } });
      stack.refreshBudgets();
      const sent = stand.requestCount;
      await expect(ask(lm, "stand/house-model")).rejects.toThrow(/refuses model "house-model" \(provider "stand"\) because its price is unknown/);
      expect(stand.requestCount).toBe(sent);
      // A priced model still passes under the budget.
      await ask(lm, "stand/gpt-4o-mini");
      await t.prisma.budget.delete({ where: { id: budget.id } });
      expect(recorded.map((r) => [r.provider, r.model, r.priceUnknown, r.refused])).toEqual([
        ["stand", "house-model", true, false],
        ["stand", "gpt-4o-mini", false, false],
        ["stand", "house-model", false, true],
        ["stand", "gpt-4o-mini", false, false],
      ]);
    } finally {
      stack.stop();
      await stand.close();
    }
  });

  it("a $0.001 budget reserves the prompt counted plus the output cap at the model's price: a prediction at 38% spent is not refused, and the charge is released to the real cost", async () => {
    const stand = await startStandIn({ protocol: "openai", models: DEFAULT_STAND_IN_MODELS.openai });
    await createProvider(t.prisma, { name: "priced", kind: "openai-compatible", baseUrl: stand.baseURL, encryptedKey: null, defaultModel: null, models: [{ id: "gpt-4o-mini", source: "listed" }] });
    const stack = createLMStack({ config: loadConfig({}), db: t.db, log: createLogger("silent", false), onEvent: () => {}, secrets });
    try {
      await stack.refreshProviders();
      await stack.refreshPrices();
      await t.prisma.budget.create({ data: { scope: "global", period: "day", limitUsd: "0.001" } });
      stack.refreshBudgets();
      const key = { scope: "global" as const, scopeId: "", period: "day" as const, windowStart: windowStart("day", Date.now()) };
      const ledger = createDatabaseLedger(t.db);
      // The window opens with what earlier calls in it cost (earlier tests here made some), plus this.
      const before = Number(await ledger.add(key, usdToNano(0.00038, "spent before"))) / 1e9;
      expect(before).toBeGreaterThanOrEqual(0.00038);
      const qa = new Predict("context, question -> answer");
      const context = "DSPEx records every LM call with its provider, model, tokens and cost, and keeps budgets in money per day, month or in total. ".repeat(4);
      const guarded = stack.forScopes({});
      const costs: number[] = [];
      const lm = { ...guarded, complete: async (...args: Parameters<typeof guarded.complete>) => guarded.complete(...args).then((r) => (costs.push(r.costUsd!), r)) };
      const out = await qa.run({ context, question: "What does DSPEx record for every LM call?" }, { lm, settings: { model: "priced/gpt-4o-mini" } });
      expect(typeof out.answer).toBe("string");
      // The call went out with the guard's output cap (the program set none), so the bound held.
      const sent = stand.requests.at(-1)!.body;
      expect(sent.max_tokens ?? sent.max_completion_tokens).toBe(512);
      // Released to the real cost: the ledger holds what was spent before plus what the call cost.
      expect(costs.length).toBeGreaterThan(0);
      const real = costs.reduce((a, b) => a + b, 0);
      expect(real).toBeGreaterThan(0);
      expect(Number(await ledger.spent(key)) / 1e9).toBeCloseTo(before + real, 8);
    } finally {
      // The budget would refuse the unpriced models of the tests after this one.
      await t.prisma.budget.deleteMany({});
      stack.stop();
      await stand.close();
    }
  });

  it("keeps the environment's endpoint as the bootstrap provider \"env\" that serves any model and names no-model calls", async () => {
    const stack = createLMStack({ config: loadConfig({ DSPEX_LM_BASE_URL: gamma.baseURL, DSPEX_LM_MODEL: "env-model" }), db: t.db, log: createLogger("silent", false), onEvent: () => {}, secrets });
    try {
      await stack.refreshProviders();
      expect(stack.providers[0]).toMatchObject({ name: "env", bootstrap: true });
      const lm = stack.forScopes({});
      expect(await ask(lm)).toMatchObject({ text: "from gamma", provider: "env", model: "env-model" });
      expect(await ask(lm, "whatever-model")).toMatchObject({ provider: "env", model: "whatever-model" });
      expect(await ask(lm, "alpha/alpha-small")).toMatchObject({ provider: "alpha", text: "from alpha" });
    } finally {
      stack.stop();
    }
  });

  it("fails a call to a provider that cannot be used with the reason, and the others keep working", async () => {
    await createProvider(t.prisma, { name: "broken", kind: "openai", baseUrl: "http://127.0.0.1:1/v1", encryptedKey: null, defaultModel: null, models: [] });
    const stack = createLMStack({ config: loadConfig({}), db: t.db, log: createLogger("silent", false), onEvent: () => {}, secrets });
    try {
      await stack.refreshProviders();
      const lm = stack.forScopes({});
      // An OpenAI provider without a key fails with the reason, naming the provider.
      await expect(ask(lm, "broken/gpt-4o-mini")).rejects.toThrow(/provider "broken".*API key|apiKey/i);
      expect(await ask(lm, "alpha/alpha-small")).toMatchObject({ provider: "alpha" });
    } finally {
      stack.stop();
    }
  });
});
