// Per-call overhead of DSPEx beside Ax, on equal terms, in interleaved rounds:
//   - "client": each framework with its real OpenAI client (DSPEx: createOpenAILM on the openai
//     SDK, with the cost meter and a trace per call; Ax: ai({ name: "openai" })), both over the same
//     in-process fake fetch, so the whole path from inputs to parsed outputs is timed.
//   - "framework": the framework alone (DSPEx with an LM that answers at once; Ax with its
//     AxMockAIService). The mock keeps every latency sample and sorts them all on each call, so
//     one instance grows slower with use (110 to 555 us over 30,000 calls); each call gets a fresh
//     one, made outside the timed section.
import { ai, AxAIOpenAIModel, AxMockAIService } from "@ax-llm/ax";
import { composeLM, createOpenAILM, createPriceTable, TraceRecorder, withCostMeter } from "../../lib/dspex";
import type { Row } from "../lib/report";
import { quantile } from "../lib/stats";
import { axProgram } from "./ax-program";
import { fakeChatFetch } from "./fake-fetch";
import { instantLM } from "./instant-lm";
import { AX_REPLY, MARKER_REPLY, USAGE } from "./replies";
import { dspexProgram, QUESTION } from "./task";

/** A contender times `n` calls and returns their durations in microseconds (any setup between calls is not timed). */
type Contender = (n: number) => Promise<number[]>;

const ROUNDS = 10;
const CALLS_PER_ROUND = 3_000;
const WARM_UP_CALLS = 3_000;

/** Times `n` sequential calls; `prepare(i)` runs before each call's timer starts. */
async function timed<T>(n: number, call: (i: number, prepared: T) => Promise<unknown>, prepare: (i: number) => T = () => undefined as T): Promise<number[]> {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const prepared = prepare(i);
    const t0 = process.hrtime.bigint();
    await call(i, prepared);
    out[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return out;
}

const question = (i: number) => ({ question: `${QUESTION} #${i % 100}` });

async function contenders(): Promise<Record<string, { setup: "client" | "framework"; run: Contender }>> {
  const prices = createPriceTable();
  await prices.ready();
  const program = dspexProgram();
  const gen = axProgram();

  const fetch = fakeChatFetch();
  const clientLM = composeLM(createOpenAILM({ provider: "custom", baseURL: "http://fake.invalid/v1", apiKey: "local", model: "gpt-4o-mini", maxRetries: 0, fetch }), withCostMeter({ prices }));
  const axClient = ai({ name: "openai", apiKey: "local", apiURL: "http://fake.invalid/v1", config: { model: AxAIOpenAIModel.GPT4OMini, stream: false }, options: { fetch } });

  const instant = composeLM(instantLM(MARKER_REPLY), withCostMeter({ prices }));
  const mock = () =>
    new AxMockAIService<string>({
      features: { functions: false, streaming: false },
      chatResponse: async () => ({
        results: [{ index: 0, content: AX_REPLY, finishReason: "stop" as const }],
        modelUsage: { ai: "mock", model: "mock", tokens: { promptTokens: USAGE.promptTokens, completionTokens: USAGE.completionTokens, totalTokens: USAGE.promptTokens + USAGE.completionTokens } },
      }),
    });

  return {
    "DSPEx, openai SDK client": { setup: "client", run: (n) => timed(n, (i) => program.run(question(i), { lm: clientLM, tracer: new TraceRecorder() })) },
    "Ax, openai client": { setup: "client", run: (n) => timed(n, (i) => gen.forward(axClient, question(i))) },
    "DSPEx, LM answering at once": { setup: "framework", run: (n) => timed(n, (i) => program.run(question(i), { lm: instant, tracer: new TraceRecorder() })) },
    "Ax, a fresh AxMockAIService per call": { setup: "framework", run: (n) => timed(n, (i, service) => gen.forward(service, question(i)), mock) },
  };
}

const sorted = (xs: readonly number[]) => [...xs].sort((a, b) => a - b);
const round1 = (x: number) => Number(x.toFixed(1));
const round3 = (x: number) => Number(x.toFixed(3));

export async function overhead(): Promise<Row[]> {
  const all = await contenders();
  const names = Object.keys(all);
  for (const name of names) await all[name]!.run(WARM_UP_CALLS); // warm up the JIT
  // Rounds interleave the contenders, so a slower stretch of a shared machine hits them all.
  const medians: Record<string, number[]> = {};
  const pooled: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of names) {
      const times = await all[name]!.run(CALLS_PER_ROUND);
      (medians[name] ??= []).push(quantile(sorted(times), 0.5));
      (pooled[name] ??= []).push(...times);
    }
  }
  const rows: Row[] = names.map((name) => {
    const p = sorted(pooled[name]!);
    const m = sorted(medians[name]!);
    return {
      setup: all[name]!.setup,
      contender: name,
      calls: p.length,
      "median us": round1(quantile(p, 0.5)),
      "p99 us": round1(quantile(p, 0.99)),
      "round medians min-max us": `${round1(m[0]!)}-${round1(m[m.length - 1]!)}`,
      "first/last round us": `${round1(medians[name]![0]!)}/${round1(medians[name]![ROUNDS - 1]!)}`,
    };
  });
  for (const setup of ["client", "framework"] as const) {
    const [d, a] = names.filter((n) => all[n]!.setup === setup) as [string, string];
    const ratios = sorted(medians[d]!.map((x, r) => x / medians[a]![r]!));
    rows.push({
      setup,
      contender: "DSPEx / Ax (per-round median ratio)",
      calls: ROUNDS,
      "median us": round3(quantile(ratios, 0.5)),
      "p99 us": round3(quantile(sorted(pooled[d]!), 0.99) / quantile(sorted(pooled[a]!), 0.99)),
      "round medians min-max us": `${round3(ratios[0]!)}-${round3(ratios[ratios.length - 1]!)}`,
      "first/last round us": "",
    });
  }
  return rows;
}

export const OVERHEAD_META = {
  rounds: ROUNDS,
  callsPerRound: CALLS_PER_ROUND,
  warmUpCalls: WARM_UP_CALLS,
  client: "both frameworks' real OpenAI clients over the same in-process fake fetch (no socket); DSPEx with cost meter and a trace recorder per call",
  framework: "DSPEx with an LM answering at once (cost meter, trace recorder); Ax with a fresh AxMockAIService per call, made before the timer starts (one instance keeps and sorts every latency sample)",
  ratio: "median over rounds of (DSPEx round median / Ax round median), with the range over rounds",
};
