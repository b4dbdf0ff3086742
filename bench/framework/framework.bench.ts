// npm run bench -- framework
//   memory:     heap and RSS across 100,000 predictions after a warm-up, in fresh processes (3 runs)
//   overhead:   microseconds per Predict call beside Ax, with both real OpenAI clients over the same
//               fake fetch, and each framework alone; interleaved rounds
//   throughput: predictions/s over HTTP against a local LM server at concurrency 1, 16, 64, beside
//               the bare openai SDK (the ceiling) and Ax, same server, same messages
import { report } from "../lib/report";
import { memory, MEMORY_META } from "./memory";
import { overhead, OVERHEAD_META } from "./overhead";
import { throughput } from "./throughput";

export async function run(): Promise<void> {
  await report("framework-memory", await memory(), MEMORY_META);
  await report("framework-overhead", await overhead(), OVERHEAD_META);
  await report("framework-throughput", await throughput(), { server: "local OpenAI-compatible server in a separate process; 5 interleaved rounds; vs SDK is the median over rounds of each round's ratio to the SDK, with its range" });
}
