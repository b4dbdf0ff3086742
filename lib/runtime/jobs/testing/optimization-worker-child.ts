// A server process for the restart test: the embedded queue running the optimization job on a
// database, printing each trial once it is announced (after its row is committed):
//   node --import tsx optimization-worker-child.ts '<DatabaseConfig as JSON>' <demo latency ms>
// Prints "READY <workerId>", then "TRIAL <number> ran|replayed" per trial:finished event.
import { openDatabase } from "../../../db";
import { classifyTask } from "../../../dspex/demos";
import { createProgramRegistry, createProgramResolver, demoProgram } from "../../programs";
import { createEmbeddedJobQueue, createOptimizationJob } from "../index";
import { demoLMFor } from "./optimization-fixture";

const [config, latency] = process.argv.slice(2);
const db = await openDatabase(JSON.parse(config!));
const resolver = createProgramResolver(db.prisma, createProgramRegistry([demoProgram(classifyTask)]));
const job = createOptimizationJob({
  prisma: db.prisma,
  resolver,
  lmFor: demoLMFor(Number(latency ?? 0)),
  publish: (name, payload) => {
    if (name === "trial:finished") {
      const p = payload as { number: number; replayed: boolean };
      process.stdout.write(`TRIAL ${p.number} ${p.replayed ? "replayed" : "ran"}\n`);
    }
  },
});
const queue = createEmbeddedJobQueue({ prisma: db.prisma, jobs: [job], pollMs: 20, heartbeatMs: 200 });
await queue.start();
process.stdout.write(`READY ${queue.workerId}\n`);
