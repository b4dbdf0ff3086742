// The embedded database on a thread of its own: PGlite runs in a worker thread behind the
// PostgreSQL wire protocol on a private Unix socket, and this thread talks to it with `pg` like to
// any PostgreSQL server. Parsing and executing SQL (about a fifth of a loaded server's time when
// PGlite ran here) no longer blocks the event loop; only encoding and decoding the protocol stays.
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import pg from "pg";

// Plain JavaScript evaluated in the worker, so the same code runs from the sources (tsx, vitest)
// and from the compiled server. workerData: { dataDir, socket, pglite (the module URL), sharedBuffersMb }.
const WORKER_CODE = `
const { parentPort, workerData } = require("node:worker_threads");
const net = require("node:net");
// Messages are handed to PGlite a whole exchange at a time (through Sync, a simple Query, or the
// start-up message), as PostgreSQL reads them: after an error it skips to the Sync itself.
// PGlite has one session for every connection, so it must look like a fresh backend to each:
// a new connection first rolls back what a dropped one left open and discards its session state,
// and a dropped connection's queued exchanges are not run.
const READY_FOR_QUERY = 0x5a;
// After an error PGlite can answer one exchange with two ReadyForQuery messages; a client counts
// them to pair replies with its queries, so one extra shifts every later reply onto the wrong
// query (an UPDATE read the ROLLBACK's empty reply as "no such row"). Only as many as the exchange
// asked for (one per Sync or Query, one for the start-up) go out.
function repliesFor(out, readies) {
  const kept = [];
  let offset = 0;
  while (offset + 5 <= out.length) {
    const length = 1 + out.readInt32BE(offset + 1);
    if (out[offset] !== READY_FOR_QUERY || readies-- > 0) kept.push(out.subarray(offset, offset + length));
    offset += length;
  }
  if (offset < out.length) kept.push(out.subarray(offset));
  return Buffer.concat(kept);
}
function serve(db, socket) {
  let buffer = Buffer.alloc(0);
  let started = false;
  let closed = false;
  let busy = Promise.resolve();
  socket.on("error", () => {});
  socket.on("close", () => { closed = true; });
  socket.on("data", (data) => {
    buffer = Buffer.concat([buffer, data]);
    let end = 0;
    let offset = 0;
    let startup = false;
    let readies = 0;
    let counted = 0;
    for (;;) {
      if (!started) {
        if (buffer.length < 8) break;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) break;
        const code = buffer.readInt32BE(4);
        if (code === 80877103) { // SSLRequest: no TLS on a private socket
          buffer = buffer.subarray(length);
          socket.write("N");
          continue;
        }
        started = startup = true;
        offset = end = length;
        readies = counted = 1;
        continue;
      }
      if (buffer.length - offset < 5) break;
      const type = buffer[offset];
      const length = 1 + buffer.readInt32BE(offset + 1);
      if (buffer.length - offset < length) break;
      offset += length;
      if (type === 0x58) { socket.end(); buffer = Buffer.alloc(0); return; } // Terminate
      if (type === 0x53 || type === 0x51) counted++; // Sync, Query
      if (type === 0x53 || type === 0x51 || type === 0x48) { end = offset; readies = counted; } // and Flush
    }
    if (end === 0) return;
    const exchange = buffer.subarray(0, end);
    buffer = buffer.subarray(end);
    busy = busy
      .then(async () => {
        if (closed) return;
        if (startup) {
          if (db.isInTransaction()) await db.exec("ROLLBACK");
          await db.exec("DISCARD ALL");
        }
        const out = [];
        await db.runExclusive(() => db.execProtocolRawStream(new Uint8Array(exchange), { onRawData: (chunk) => { out.push(Buffer.from(chunk)); } }));
        if (!socket.destroyed) socket.write(repliesFor(Buffer.concat(out), readies));
      })
      .catch((err) => socket.destroy(err));
  });
}
(async () => {
  const { PGlite } = await import(workerData.pglite);
  const db = await PGlite.create(workerData.dataDir, { startParams: [...PGlite.defaultStartParams, "-c", "shared_buffers=" + workerData.sharedBuffersMb + "MB"] });
  const server = net.createServer((socket) => serve(db, socket));
  await new Promise((resolve, reject) => server.once("error", reject).listen(workerData.socket, resolve));
  parentPort.on("message", async (m) => {
    if (m !== "close") return;
    try {
      await new Promise((resolve) => server.close(resolve));
      await db.close();
      parentPort.postMessage({ type: "closed" });
    } catch (err) {
      parentPort.postMessage({ type: "closed", error: String(err && err.stack || err) });
    }
  });
  parentPort.postMessage({ type: "ready" });
})().catch((err) => parentPort.postMessage({ type: "failed", error: String(err && err.stack || err) }));
`;

export interface PgliteThread {
  /** One connection to the worker's database (PGlite has one session: more would interleave it). */
  readonly pool: pg.Pool;
  /** Ends the connection, closes the database (its files consistent) and the worker. */
  close(): Promise<void>;
}

type WorkerMessage = { type: "ready" } | { type: "closed"; error?: string } | { type: "failed"; error: string };

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the PGlite worker exited with code ${code}`));
    worker.once("exit", onExit);
    worker.once("message", (m: WorkerMessage) => {
      worker.off("exit", onExit);
      resolve(m);
    });
  });
}

/**
 * PostgreSQL's page cache inside PGlite. PGlite keeps PostgreSQL's default of 128 MB, all of it
 * resident in the worker's WebAssembly memory once touched (an idle server that had migrated its
 * database: 517 MiB RSS; with 16 MB: 360 MiB; the PostgreSQL backend: 249 MiB). Pages beyond it
 * are read from the files (and the kernel's cache).
 */
export const PGLITE_SHARED_BUFFERS_MB = 16;

export async function startPgliteThread(dir: string, options: { readonly sharedBuffersMb?: number } = {}): Promise<PgliteThread> {
  const require = createRequire(import.meta.url);
  // A directory only this user can enter: the socket is the database, without a password.
  const socketDir = await mkdtemp(path.join(tmpdir(), "dspex-pglite-"));
  const port = 5432;
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: {
      dataDir: dir,
      socket: path.join(socketDir, `.s.PGSQL.${port}`),
      pglite: pathToFileURL(require.resolve("@electric-sql/pglite")).href,
      sharedBuffersMb: options.sharedBuffersMb ?? PGLITE_SHARED_BUFFERS_MB,
    },
  });
  worker.on("error", () => {}); // reported through the exit and the next query
  const started = await nextMessage(worker).catch((err: unknown) => ({ type: "failed" as const, error: String(err) }));
  if (started.type !== "ready") {
    await worker.terminate();
    await rm(socketDir, { recursive: true, force: true });
    throw new Error(`the embedded database could not start: ${"error" in started ? started.error : started.type}`);
  }
  const pool = new pg.Pool({ host: socketDir, port, user: "postgres", database: "postgres", max: 1 });
  pool.on("error", () => {}); // a dropped connection surfaces on the next query
  let closing: Promise<void> | undefined;
  return {
    pool,
    close: () =>
      (closing ??= (async () => {
        try {
          await pool.end();
          const closed = nextMessage(worker);
          worker.postMessage("close");
          const m = await closed;
          if (m.type === "closed" && m.error) throw new Error(`the embedded database did not close cleanly: ${m.error}`);
        } finally {
          await worker.terminate();
          await rm(socketDir, { recursive: true, force: true });
        }
      })()),
  };
}
