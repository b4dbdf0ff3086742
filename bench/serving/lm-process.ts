// The outside model for the serving and reliability benchmarks, in a process of its own: the
// offline demo model behind a real OpenAI-compatible HTTP server, so the served path and the bare
// SDK pay the same provider. LM_LATENCY_MS ("0", "20-80") delays each answer; LM_FAULTS=1 makes
// one request in five a fault (429 with Retry-After, 500, a hang, malformed JSON, or a reply cut at
// 20%), chosen in turn. Over IPC it hands out the last request body it received (replayed by the
// bare SDK) and how many requests it has seen.
import { createDemoLM } from "../../lib/dspex";
import type { ServerReply } from "../../lib/dspex/testing/openai-server";
import { serveLM } from "../../lib/dspex/testing/serve-lm";

type Message = { type: "last-body" } | { type: "reset" } | { type: "count" } | { type: "faults"; on: boolean } | { type: "exit" };

const port = Number(process.env.LM_PORT ?? 0);
const latency = (process.env.LM_LATENCY_MS ?? "0").split("-").map(Number);
const latencyMs = latency.length === 2 ? { min: latency[0]!, max: latency[1]! } : (latency[0] ?? 0);
const server = await serveLM(createDemoLM({ latencyMs }), { record: true, ...(port ? { port } : {}) });

let faulty = process.env.LM_FAULTS === "1";
{
  const healthy = createDemoLM({ latencyMs });
  const faults: ServerReply[] = [
    { type: "rate-limit", retryAfterSeconds: 1 },
    { type: "error", status: 500 },
    { type: "hang" },
    { type: "malformed" },
  ];
  let n = 0;
  const { toLMRequest } = await import("../../lib/dspex/testing/serve-lm");
  server.respondWith(async (request) => {
    const i = n++;
    if (faulty && i % 5 === 0) {
      const kind = (i / 5) % 5;
      if (kind < faults.length) return faults[kind]!;
      const reply = await healthy.complete(toLMRequest(request.body));
      return { type: "truncated", text: reply.text.slice(0, Math.ceil(reply.text.length / 5)) };
    }
    const reply = await healthy.complete(toLMRequest(request.body));
    return { text: reply.text, usage: { promptTokens: reply.usage.inputTokens, completionTokens: reply.usage.outputTokens } };
  });
}

process.on("message", (m: Message) => {
  if (m.type === "exit") void server.close().then(() => process.exit(0));
  else if (m.type === "reset") {
    server.reset();
    process.send?.({ type: "reset" });
  } else if (m.type === "faults") faulty = m.on;
  else if (m.type === "count") process.send?.({ type: "count", count: server.requestCount });
  else process.send?.({ type: "last-body", body: server.requests.at(-1)?.body ?? null });
});
process.send?.({ type: "ready", baseURL: server.baseURL });
