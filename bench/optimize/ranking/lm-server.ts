// The "outside" model of the optimizer ranking: the demo model behind an OpenAI-compatible HTTP
// server in its own process, which counts the calls it serves and what they cost (token usage
// at the simulated prices of the model each call named). Both frameworks talk to it over HTTP
// and neither can see its counts except through this file.
//   parent: const server = await startLMServer(seed); ...; await server.counts(); await server.stop();
//   child:  node --import tsx bench/optimize/ranking/lm-server.ts <seed>
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { createDemoLM } from "../../../lib/dspex/demo-lm";
import { composeLM, createPriceTable, withCostMeter } from "../../../lib/dspex/lm";
import { serveLM } from "../../../lib/dspex/testing";

export interface ServedCounts {
  readonly calls: number;
  readonly usd: number;
}

export interface LMServer {
  readonly baseURL: string;
  counts(): Promise<ServedCounts>;
  stop(): Promise<void>;
}

const ReadySchema = z.object({ type: z.literal("ready"), baseURL: z.string().url() });
const CountsSchema = z.object({ type: z.literal("counts"), calls: z.number(), usd: z.number() });

/** Starts the server process for a seed and waits until it listens. */
export async function startLMServer(seed: number): Promise<LMServer> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [String(seed)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseURL = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => {
      const parsed = ReadySchema.safeParse(m);
      if (parsed.success) resolve(parsed.data.baseURL);
      else reject(new Error(`lm-server: unexpected first message ${JSON.stringify(m)}`));
    });
    child.once("exit", (code) => reject(new Error(`lm-server exited with ${code} before it was ready`)));
  });
  return {
    baseURL,
    counts: () =>
      new Promise<ServedCounts>((resolve, reject) => {
        const onMessage = (m: unknown) => {
          const parsed = CountsSchema.safeParse(m);
          if (!parsed.success) return;
          child.off("message", onMessage);
          resolve({ calls: parsed.data.calls, usd: parsed.data.usd });
        };
        child.on("message", onMessage);
        if (!child.send({ type: "counts" })) reject(new Error("lm-server: the process is gone"));
      }),
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

async function main(seed: number): Promise<void> {
  let usd = 0;
  const prices = createPriceTable();
  await prices.ready();
  const lm = composeLM(createDemoLM({ seed }), withCostMeter({ prices, onCost: ({ cost }) => void (usd += cost.usd) }));
  const server = await serveLM(lm, { record: false });
  process.on("message", (m: unknown) => {
    if (typeof m === "object" && m !== null && (m as { type?: unknown }).type === "counts") process.send?.({ type: "counts", calls: server.requestCount, usd });
  });
  process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
  process.send?.({ type: "ready", baseURL: server.baseURL });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(Number(process.argv[2] ?? "1")).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
