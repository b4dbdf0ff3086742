// A sandbox worker thread: loads QuickJS once, then runs one job at a time (a script or a test,
// each in a fresh QuickJS session) and posts the result. The host kills it at the hard deadline
// when a run overstays (QuickJS stuck inside a built-in), so nothing here needs to be cancellable.
import { parentPort, workerData } from "node:worker_threads";
import { runScript, runTest } from "./engine";
import type { JobRequest, WorkerData, WorkerMessage } from "./protocol";
import { STATUS, STATUS_STARTED_AT } from "./protocol";
import { loadQuickJS } from "./quickjs";

const port = parentPort;
if (!port) throw new Error("sandbox/worker.ts runs as a worker thread of the sandbox pool");
const { status } = workerData as WorkerData;
const flags = new Int32Array(status, 0, 2);
const startedAt = new Float64Array(status, 0, 3);
const now = () => performance.timeOrigin + performance.now();

const t0 = performance.now();
await loadQuickJS();
const post = (message: WorkerMessage) => port.postMessage(message);
post({ type: "ready", loadMs: performance.now() - t0 });

port.on("message", async ({ id, job }: JobRequest) => {
  startedAt[STATUS_STARTED_AT] = now();
  Atomics.store(flags, STATUS.finished, 0);
  Atomics.store(flags, STATUS.job, id);
  try {
    const quickjs = await loadQuickJS(); // a fresh module when the last one aborted
    const result = job.type === "script" ? runScript(quickjs, job.limits, job.code, job.filename, job.input, job.discard) : runTest(quickjs, job.limits, job.code, job.test);
    Atomics.store(flags, STATUS.finished, id);
    post({ type: "done", id, result, wasmBytes: quickjs.getWasmMemory().buffer.byteLength });
  } catch (err) {
    Atomics.store(flags, STATUS.finished, id);
    post({ type: "failed", id, message: err instanceof Error ? err.message : String(err) });
  } finally {
    Atomics.store(flags, STATUS.job, 0);
  }
});
