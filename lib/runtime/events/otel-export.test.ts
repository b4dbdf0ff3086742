import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Predict } from "../../dspex";
import { byFields, FakeLM } from "../../dspex/testing";
import { createOtelExport, createRunTracer, EventBus, otlpTracesUrlFromEnv } from "./index";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  status?: { code?: number; message?: string };
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** A collector: receives OTLP/HTTP JSON on /v1/traces. */
async function collector() {
  const bodies: { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[] }[] = [];
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      paths.push(`${req.method} ${req.url} ${req.headers["content-type"]}`);
      bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const spans = () => bodies.flatMap((b) => b.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((s) => s.spans)));
  return { server, bodies, paths, spans, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const attr = (span: OtlpSpan, key: string) => {
  const v = span.attributes.find((a) => a.key === key)?.value;
  return v ? (v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue) : undefined;
};

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

describe("OpenTelemetry export", () => {
  it("is off unless an endpoint is configured", () => {
    expect(createOtelExport({}, {})).toBeUndefined();
    expect(otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318/" })).toBe("http://c:4318/v1/traces");
    expect(otlpTracesUrlFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://t:1/x" })).toBe("http://t:1/x");
  });

  it("sends a run, its spans and its LM calls as one OTLP trace, parents linked", async () => {
    const c = await collector();
    servers.push(c.server);
    const otel = createOtelExport({ serviceName: "dspex-test" }, { OTEL_EXPORTER_OTLP_ENDPOINT: c.endpoint })!;
    expect(otel.url).toBe(`${c.endpoint}/v1/traces`);
    const bus = new EventBus({ validate: true });
    bus.subscribe(otel.listener);

    const lm = new FakeLM((request) => ({ text: byFields(() => ({ answer: "Paris" }))(request, 0) as string, usage: { inputTokens: 50, outputTokens: 5 }, costUsd: 0.0002 }));
    const tracer = createRunTracer(bus, { source: "api", programName: "capitals", programId: "prog-1" });
    const output = await new Predict("question -> answer").run({ question: "Capital of France?" }, { lm, tracer });
    await tracer.finish({ status: "ok", output });
    await otel.shutdown();

    expect(c.paths[0]).toBe("POST /v1/traces application/json");
    expect(c.bodies[0]!.resourceSpans[0]!.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "dspex-test" } });
    const spans = c.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(["Predict", "chat fake-model", "run capitals"]);
    const run = spans.find((s) => s.name === "run capitals")!;
    const predict = spans.find((s) => s.name === "Predict")!;
    const call = spans.find((s) => s.name.startsWith("chat"))!;
    // One trace, the run's own trace id; spans hang under the run, the LM call under its span.
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([tracer.traceId]));
    expect(run.parentSpanId ?? "").toBe("");
    expect(predict.parentSpanId).toBe(run.spanId);
    expect(call.parentSpanId).toBe(predict.spanId);
    expect(attr(call, "gen_ai.request.model")).toBe("fake-model");
    expect(Number(attr(call, "gen_ai.usage.input_tokens"))).toBe(50);
    expect(attr(call, "dspex.cost_usd")).toBe(0.0002);
    expect(attr(call, "dspex.request")).toBeUndefined(); // messages stay home unless asked for
    expect(attr(run, "dspex.program.name")).toBe("capitals");
    expect(BigInt(run.endTimeUnixNano) >= BigInt(run.startTimeUnixNano)).toBe(true);
  });

  it("marks failed runs as errors and exports messages only when asked", async () => {
    const c = await collector();
    servers.push(c.server);
    const otel = createOtelExport({ endpoint: c.endpoint, includeMessages: true }, {})!;
    const bus = new EventBus({ validate: true });
    bus.subscribe(otel.listener);
    const lm = new FakeLM([new Error("provider down")]);
    const tracer = createRunTracer(bus, { source: "api" });
    await expect(new Predict("question -> answer").run({ question: "q" }, { lm, tracer })).rejects.toThrow();
    tracer.recordLMCall({
      id: "call-1",
      provider: "openai",
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hello there" }],
      settings: {},
      text: "hi",
      usage: { inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 },
      costUsd: 0,
      latencyMs: 5,
      cacheHit: false,
      retries: 0,
      adapter: "chat",
      attempt: 1,
      startedAt: Date.now(),
    });
    await tracer.finish({ status: "error", error: "provider down" });
    await otel.shutdown();
    const spans = c.spans();
    const run = spans.find((s) => s.name.startsWith("run"))!;
    expect(run.status).toMatchObject({ code: 2, message: "provider down" });
    expect(String(attr(spans.find((s) => s.name === "chat gpt-4o-mini")!, "dspex.request"))).toContain("hello there");
  });
});
