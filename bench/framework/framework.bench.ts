// npm run bench -- framework
//   overhead:   microseconds DSPEx adds per Predict call with an LM that answers at once, beside Ax
//   throughput: predictions/s over HTTP against a local LM server at concurrency 1, 16, 64, beside
//               the bare openai SDK (the ceiling) and Ax, same server, same messages
//   memory:     RSS before and after 100,000 predictions with cache, cost meter and tracing on
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { ax, ai, AxAIOpenAIModel, AxMockAIService } from "@ax-llm/ax";
import OpenAI from "openai";
import {
  composeLM,
  createOpenAILM,
  createPriceTable,
  Predict,
  TraceRecorder,
  withCache,
  withCostMeter,
  type LM,
} from "../../lib/dspex";
import { report, type Row } from "../lib/report";
import { median, quantile, timeCalls } from "../lib/stats";
import { instantLM } from "./instant-lm";

const MARKER_REPLY = "[[ ## answer ## ]]\nParis is the capital of France.\n\n[[ ## completed ## ]]";
const INSTRUCTIONS = "Answer the question briefly.";
const QUESTION = "What is the capital of France?";

function dspexProgram() {
  return new Predict("question -> answer", { instructions: INSTRUCTIONS });
}

function axProgram() {
  const gen = ax('question:string "a question" -> answer:string "the answer"');
  gen.setInstruction(INSTRUCTIONS);
  return gen;
}

async function overhead(): Promise<Row[]> {
  const N = 20_000;
  const prices = createPriceTable();
  await prices.ready();
  const lm = composeLM(instantLM(MARKER_REPLY), withCostMeter({ prices }));
  const program = dspexProgram();
  const dspex = (i: number) => program.run({ question: `${QUESTION} #${i % 100}` }, { lm, tracer: new TraceRecorder() });

  const gen = axProgram();
  const mock = new AxMockAIService<string>({
    features: { functions: false, streaming: false },
    chatResponse: async () => ({
      results: [{ index: 0, content: "Answer: Paris is the capital of France.", finishReason: "stop" as const }],
      modelUsage: { ai: "mock", model: "mock", tokens: { promptTokens: 120, completionTokens: 12, totalTokens: 132 } },
    }),
  });
  const axCall = (i: number) => gen.forward(mock, { question: `${QUESTION} #${i % 100}` });

  const rows: Row[] = [];
  const results: Record<string, number[]> = {};
  for (const [name, call] of [
    ["DSPEx Predict", dspex],
    ["Ax AxGen", axCall],
  ] as const) {
    await timeCalls(3_000, call); // warm up the JIT
    results[name] = await timeCalls(N, call);
  }
  for (const [name, t] of Object.entries(results)) {
    rows.push({ client: name, calls: N, "median us": Number(quantile(t, 0.5).toFixed(1)), "p99 us": Number(quantile(t, 0.99).toFixed(1)) });
  }
  const ratio = quantile(results["DSPEx Predict"]!, 0.5) / quantile(results["Ax AxGen"]!, 0.5);
  rows.push({ client: "DSPEx / Ax (median)", calls: N, "median us": Number(ratio.toFixed(3)), "p99 us": Number((quantile(results["DSPEx Predict"]!, 0.99) / quantile(results["Ax AxGen"]!, 0.99)).toFixed(3)) });
  return rows;
}

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

async function throughput(): Promise<Row[]> {
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
      ["openai SDK (ceiling)", () => sdk.chat.completions.create({ model: "gpt-4o-mini", messages })],
      ["DSPEx", () => program.run({ question: QUESTION }, lm)],
      ["Ax", () => gen.forward(axAI, { question: QUESTION })],
    ];
    const rows: Row[] = [];
    for (const concurrency of [1, 16, 64]) {
      const total = concurrency === 1 ? 1_500 : 4_000;
      const runs: Record<string, number[]> = {};
      for (const [, call] of clients) await throughputOf(concurrency, 300, call); // warm up connections and JIT
      for (let round = 0; round < 3; round++) {
        for (const [name, call] of clients) (runs[name] ??= []).push(await throughputOf(concurrency, total, call));
      }
      const ceiling = median(runs["openai SDK (ceiling)"]!);
      for (const [name] of clients) {
        const rps = median(runs[name]!);
        rows.push({ concurrency, client: name, "predictions/s": Math.round(rps), "vs SDK": Number((rps / ceiling).toFixed(3)) });
      }
    }
    return rows;
  } finally {
    await server.stop();
  }
}

async function memory(): Promise<Row[]> {
  const N = 100_000;
  const gc = (globalThis as { gc?: () => void }).gc;
  const prices = createPriceTable();
  await prices.ready();
  const cache = withCache({ maxEntries: 1_000 });
  const lm = composeLM(instantLM(MARKER_REPLY), cache, withCostMeter({ prices }));
  const program = dspexProgram();
  const mb = (b: number) => Number((b / 2 ** 20).toFixed(1));
  // Warm up so that what is measured is growth, not first-use allocation.
  for (let i = 0; i < 2_000; i++) await program.run({ question: `warm ${i}` }, { lm, tracer: new TraceRecorder() });
  gc?.();
  const before = process.memoryUsage();
  const entriesBefore = cache.stats().size;
  for (let i = 0; i < N; i++) await program.run({ question: `${QUESTION} #${i}` }, { lm, tracer: new TraceRecorder() });
  gc?.();
  const after = process.memoryUsage();
  return [
    { "": "before", predictions: 0, "rss MiB": mb(before.rss), "heap used MiB": mb(before.heapUsed), "cache entries": entriesBefore },
    { "": "after", predictions: N, "rss MiB": mb(after.rss), "heap used MiB": mb(after.heapUsed), "cache entries": cache.stats().size },
    { "": "growth", predictions: N, "rss MiB": mb(after.rss - before.rss), "heap used MiB": mb(after.heapUsed - before.heapUsed), "cache entries": 0 },
  ];
}

export async function run(): Promise<void> {
  // Memory first, while the process holds nothing else.
  await report("framework-memory", await memory(), { gc: typeof (globalThis as { gc?: unknown }).gc === "function" });
  await report("framework-overhead", await overhead(), { lm: "in-process, answers at once; DSPEx with cost meter and a trace recorder per call" });
  await report("framework-throughput", await throughput(), { server: "local OpenAI-compatible server in a separate process; median of 3 rounds" });
}
