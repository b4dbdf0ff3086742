// `npm run worker`: a process that only runs background jobs, taken from Redis (REDIS_URL), with
// the database from DATABASE_URL. SIGTERM or SIGINT stops it gracefully: running jobs stop at
// their next checkpoint and go back to the queue for another worker.
import { exitWithError, loadConfigOrExit } from "../../config";
import { DatabaseError } from "../../db";
import { createLogger } from "../../log";
import { registerProgramImports } from "../program-imports";
import { JobConfigError } from "./errors";
import { startWorkerProcess } from "./worker-process";

function fail(message: string): never {
  return exitWithError("dspex worker", message);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit("dspex worker");
  const log = createLogger(config.logLevel);
  registerProgramImports();
  let worker;
  try {
    worker = await startWorkerProcess({ config, log });
  } catch (err) {
    if (err instanceof JobConfigError || err instanceof DatabaseError) fail(err.message);
    throw err;
  }
  log.info({ workerId: worker.queue.workerId, database: worker.runtime.db.backend, concurrency: config.jobConcurrency }, "DSPEx worker ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker stopping: running jobs go back to the queue");
    const deadline = setTimeout(() => {
      log.error(`worker stop took longer than ${config.shutdownTimeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    await worker.stop();
    log.info("worker stopped");
    log.flush?.();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled promise rejection"));
}

main().catch((err: unknown) => {
  process.stderr.write(`dspex worker: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
