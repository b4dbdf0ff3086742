// npm run bench -- runtime: supervisor restart latency, rate-limit accuracy, the event pipeline,
// serving throughput and added latency, and the kill -9 crash test.
export async function run(): Promise<void> {
  await (await import("./supervisor.bench")).run();
  await (await import("./rate-limit.bench")).run();
  await (await import("./events.bench")).run();
  await (await import("./serving.bench")).run();
  await (await import("./crash.bench")).run();
}
