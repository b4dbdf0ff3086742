// The load generator of `npm run bench -- serving`, in a process of its own so it shares no event
// loop with the server: `concurrency` loops, each sending one request after the other, `requests`
// in total. "served" posts predictions to the DSPEx server over keep-alive HTTP; "direct" sends the
// server's own provider request body straight to the model with the bare openai SDK; "direct-keepalive"
// does the same through the fetch the server's provider clients use (keepAliveFetch).
import { Agent, request } from "node:http";
import OpenAI from "openai";
import { keepAliveFetch } from "../../lib/dspex/lm/keep-alive-fetch";

export interface LoadJob {
  readonly type: "load";
  readonly path: "served" | "direct" | "direct-keepalive";
  /** served: the predict URL; direct: the model's baseURL. */
  readonly url: string;
  readonly key: string;
  /** served: the predict request body (JSON); direct: the chat-completions body (JSON). */
  readonly body: string;
  readonly concurrency: number;
  readonly requests: number;
}

export interface LoadResult {
  readonly type: "result";
  /** Microseconds per request, in completion order. */
  readonly latencies: number[];
  readonly elapsedMs: number;
  readonly failures: number;
  readonly firstFailure: string | null;
  /** Bytes of response bodies received (served) or 0. */
  readonly responseBytes: number;
  /** CPU microseconds this process spent sending and receiving, per request. */
  readonly cpuUsPerRequest: number;
}

function post(agent: Agent, url: URL, key: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function load(job: LoadJob): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let responseBytes = 0;
  let send: () => Promise<void>;
  let agent: Agent | undefined;
  if (job.path === "served") {
    agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
    const url = new URL(job.url);
    send = async () => {
      const r = await post(agent!, url, job.key, job.body);
      responseBytes += r.text.length;
      if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.text.slice(0, 300)}`);
    };
  } else {
    const client = new OpenAI({ baseURL: job.url, apiKey: job.key, maxRetries: 0, ...(job.path === "direct-keepalive" ? { fetch: keepAliveFetch(fetch) } : {}) });
    const body = JSON.parse(job.body) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    send = async () => {
      await client.chat.completions.create(body);
    };
  }
  let sent = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const loop = async () => {
    while (sent < job.requests) {
      sent++;
      const start = process.hrtime.bigint();
      try {
        await send();
      } catch (err) {
        failures++;
        firstFailure ??= err instanceof Error ? err.message : String(err);
      }
      latencies.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  agent?.destroy();
  return { type: "result", latencies, elapsedMs, failures, firstFailure, responseBytes, cpuUsPerRequest: (cpu.user + cpu.system) / job.requests };
}

process.on("message", (m: LoadJob | { type: "exit" }) => {
  if (m.type === "exit") process.exit(0);
  else void load(m).then((result) => process.send?.(result));
});
process.send?.({ type: "ready" });
