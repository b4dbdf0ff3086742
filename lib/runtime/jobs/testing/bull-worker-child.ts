// A worker process for the takeover tests, started like `npm run worker` (configuration from the
// environment) but with the probe job kinds and short locks:
//   node --import tsx bull-worker-child.ts <redis-prefix>
// Prints "READY <workerId>" once it takes jobs, and "STEP <jobId> <n>" for every finished step.
import { loadConfig } from "../../../config";
import { createLogger } from "../../../log";
import { startWorkerProcess } from "../worker-process";
import { JobProbe, probeJobs } from "./probe-jobs";

const prefix = process.argv[2]!;
const config = loadConfig();
const probe = new JobProbe();
const worker = await startWorkerProcess({
  config,
  log: createLogger("silent", false),
  jobs: (runtime) => probeJobs(probe, runtime.db.prisma),
  queue: { prefix, lockDurationMs: 1000, stalledIntervalMs: 500, heartbeatMs: 200, concurrency: 1, shutdownMs: 2000 },
});
const push = probe.steps.push.bind(probe.steps);
probe.steps.push = (...items) => {
  for (const s of items) process.stdout.write(`STEP ${s.jobId} ${s.step}\n`);
  return push(...items);
};
process.on("SIGTERM", () => {
  void worker.stop().then(() => {
    process.stdout.write("STOPPED\n");
    process.exit(0);
  });
});
process.stdout.write(`READY ${worker.queue.workerId}\n`);
