// Predictions/s over HTTP against a local OpenAI-compatible server in its own process, at
// concurrency 1, 16 and 64: the bare openai SDK sending DSPEx's exact messages (the ceiling),
// DSPEx on its openai-SDK client, and Ax on its own; interleaved rounds; the share of the ceiling is the median over rounds of each round's ratio.
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { ai, AxAIOpenAIModel } from "@ax-llm/ax";
import OpenAI from "openai";
import { createOpenAILM, type LM } from "../../lib/dspex";
import type { Row } from "../lib/report";
import { median } from "../lib/stats";
import { axProgram } from "./ax-program";
import { dspexProgram, QUESTION } from "./task";

const ROUNDS = 5;
const CEILING = "openai SDK (ceiling)";

async function startServerProcess(): Promise<{ baseURL: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "bench-server.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const [baseURL] = (await once(lines, "line")) as [string];
  return {
    baseURL,
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

async function throughputOf(concurrency: number, total: number, call: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        await call();
      }
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

export async function throughput(): Promise<Row[]> {
  const server = await startServerProcess();
  try {
    const sdk = new OpenAI({ baseURL: server.baseURL, apiKey: "local", maxRetries: 0 });
    const lm: LM = createOpenAILM({ provider: "custom", baseURL: server.baseURL, apiKey: "local", model: "gpt-4o-mini", maxRetries: 0 });
    const program = dspexProgram();
    // The bare SDK sends exactly the messages DSPEx builds, and does nothing with the reply.
    const messages = program.format({ question: QUESTION }).messages.map((m) => ({ role: m.role as "system" | "user", content: m.content }));
    const axAI = ai({ name: "openai", apiKey: "local", apiURL: server.baseURL, config: { model: AxAIOpenAIModel.GPT4OMini, stream: false } });
    const gen = axProgram();

    const clients: Array<[string, () => Promise<unknown>]> = [
      [CEILING, () => sdk.chat.completions.create({ model: "gpt-4o-mini", messages })],
      ["DSPEx", () => program.run({ question: QUESTION }, lm)],
      ["Ax", () => gen.forward(axAI, { question: QUESTION })],
    ];
    const rows: Row[] = [];
    for (const concurrency of [1, 16, 64]) {
      const total = concurrency === 1 ? 1_500 : 4_000;
      const runs: Record<string, number[]> = {};
      for (const [, call] of clients) await throughputOf(concurrency, 300, call); // warm up connections and JIT
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, call] of clients) (runs[name] ??= []).push(await throughputOf(concurrency, total, call));
      }
      const ceiling = runs[CEILING]!;
      for (const [name] of clients) {
        // Each round's share of the ceiling measured beside it: robust to a shared machine's slow stretches.
        const shares = runs[name]!.map((rps, r) => rps / ceiling[r]!).sort((a, b) => a - b);
        rows.push({
          concurrency,
          client: name,
          "predictions/s": Math.round(median(runs[name]!)),
          "vs SDK": Number(median(shares).toFixed(3)),
          "vs SDK min-max": `${shares[0]!.toFixed(2)}-${shares[shares.length - 1]!.toFixed(2)}`,
        });
      }
    }
    return rows;
  } finally {
    await server.stop();
  }
}
