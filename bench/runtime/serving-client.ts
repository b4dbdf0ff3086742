// The load generator of the serving benchmark, in its own process so it does not share the
// server's event loop: `concurrency` loops, each sending one prediction after the other over a
// keep-alive connection, for `requests` predictions in total; reports every latency (µs).
import { Agent, request } from "node:http";

interface Job {
  readonly type: "run";
  readonly url: string;
  readonly key: string;
  readonly body: string;
  readonly concurrency: number;
  readonly requests: number;
}

function post(agent: Agent, url: URL, key: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent, headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function run(job: Job): Promise<{ latencies: number[]; elapsedMs: number; failures: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.url);
  const latencies: number[] = [];
  let failures = 0;
  let sent = 0;
  const t0 = performance.now();
  const loop = async () => {
    while (sent < job.requests) {
      sent++;
      const start = process.hrtime.bigint();
      const status = await post(agent, url, job.key, job.body);
      latencies.push(Number(process.hrtime.bigint() - start) / 1000);
      if (status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  const elapsedMs = performance.now() - t0;
  agent.destroy();
  return { latencies, elapsedMs, failures };
}

process.on("message", (m: Job | { type: "exit" }) => {
  if (m.type === "exit") process.exit(0);
  void run(m).then((result) => process.send?.({ type: "result", ...result }));
});
process.send?.({ type: "ready" });
