// One process: the Next.js request handler, socket.io on the same port, and the DSPEx runtime.
import { createServer, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Redis } from "ioredis";
import next from "next";
import { exitWithError, loadConfigOrExit } from "./lib/config";
import { DatabaseError } from "./lib/db";
import { createLogger } from "./lib/log";
import { attachRealtime } from "./lib/realtime";
import { servingDeps, setRuntime, startRuntime } from "./lib/runtime";
import { admitPageRequest, createPageGate, readCookies, setApiSecurityHeaders, setPageSecurityHeaders } from "./lib/runtime/auth";
import { createEventLoopGuard } from "./lib/runtime/resources";
import { registerProgramImports } from "./lib/runtime/program-imports";
import { createHttpDrain, createServingApi } from "./lib/runtime/serving";
import { SESSION_COOKIE } from "./lib/schemas";

// Next's telemetry would try to reach the internet; DSPEx reports nothing anywhere.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

function fail(message: string): never {
  return exitWithError("dspex", message);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit("dspex");
  const log = createLogger(config.logLevel);
  const dev = config.env === "development";
  // Programs anywhere on disk import `dspex` and `zod` as the server's own modules.
  registerProgramImports();

  let runtime;
  try {
    runtime = await startRuntime(config, log);
  } catch (err) {
    if (err instanceof DatabaseError) fail(err.message);
    throw err;
  }
  setRuntime(runtime);

  const app = next({ dev, hostname: config.host, port: config.port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();

  // The serving API answers its own paths without Next (its added latency stays under 1 ms);
  // everything else, the dashboard included, goes to Next.
  // Past DSPEX_MAX_EVENT_LOOP_LAG_MS of lag, new requests are refused (503, Retry-After) until it passes.
  const loopGuard = config.maxEventLoopLagMs > 0 ? createEventLoopGuard({ maxLagMs: config.maxEventLoopLagMs }) : undefined;
  // Sockets are attached below; signing out or disabling an account drops the sockets it opened.
  let endSockets: (who: { readonly sessionId: string } | { readonly userId: string }) => void = () => {};
  const serving = createServingApi({ ...servingDeps(runtime, undefined, loopGuard), onSessionsEnded: (who) => endSockets(who) });
  // Pages and Next routes need a signed-in user (the serving API checks its own callers).
  const gate = createPageGate(runtime.store);
  const httpServer = createServer();
  const drain = createHttpDrain(httpServer);
  httpServer.on("request", drain.handler((req, res) => {
    const api = req.url?.startsWith("/api/") === true;
    if (api) setApiSecurityHeaders(req, res);
    serving.handle(req, res).then(
      async (handled) => {
        if (handled || !admitPageRequest(req, res, loopGuard?.retryAfterMs())) return;
        if (!api) setPageSecurityHeaders(req, res, dev);
        if (await gate.admit(req, res)) void handle(req, res);
      },
      (err: unknown) => {
        log.error({ err }, "serving API failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end('{"error":{"code":"INTERNAL","message":"internal error"}}');
      },
    );
  }));
  // Scaled out: events emitted on any server or worker reach browsers connected to every server.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: null }) : undefined;
  const realtime = attachRealtime(httpServer, {
    bus: runtime.bus,
    changes: runtime.changes,
    log,
    status: () => runtime.status(),
    // Live data only for signed-in browsers: the session cookie comes with the handshake, and the
    // session must still be active at every room join.
    identify: async (cookieHeader) => {
      const session = await runtime.store.findSession(readCookies(cookieHeader).get(SESSION_COOKIE));
      return session && { userId: session.user.id, sessionId: session.id };
    },
    canJoin: async (cookieHeader) => (await runtime.store.findSession(readCookies(cookieHeader).get(SESSION_COOKIE))) !== undefined,
    ...(redis ? { redis } : {}),
  });
  runtime.countRealtimeClientsWith(() => realtime.clientCount());
  endSockets = (who) => realtime.endSessions(who);
  httpServer.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!req.url?.startsWith("/socket.io")) void nextUpgrade(req, socket, head);
  });

  await new Promise<void>((resolve) => {
    httpServer.once("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EADDRINUSE") fail(`PORT ${config.port} is already in use on ${config.host}; stop the other server or set PORT`);
      if (err.code === "EACCES") fail(`PORT ${config.port} needs more privileges on ${config.host}; choose a port above 1023`);
      if (err.code === "EADDRNOTAVAIL" || err.code === "ENOTFOUND") fail(`HOST ${config.host} is not an address of this machine`);
      fail(err.message);
    });
    httpServer.listen(config.port, config.host, resolve);
  });
  const shownHost = config.host === "0.0.0.0" || config.host === "127.0.0.1" ? "localhost" : config.host;
  log.info(
    { database: runtime.db.backend, location: runtime.db.location, lm: config.lm.baseUrl ?? "demo model (offline simulator)" },
    `DSPEx ready on http://${shownHost}:${config.port}`,
  );

  let shutdownAt: number | undefined;
  const shutdown = async (signal: string) => {
    if (shutdownAt !== undefined) {
      // Ctrl-C reaches both npm and this process, and npm forwards it once more: a repeat within
      // a second is that echo. A later one is a person insisting.
      if (Date.now() - shutdownAt < 1000) return;
      log.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    shutdownAt = Date.now();
    log.info({ signal, inFlight: drain.inFlight }, "shutting down: new requests refused with 503, draining work");
    const deadline = setTimeout(() => {
      log.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();

    // New requests (on kept-alive and new connections alike) are refused with 503 from here on; the
    // requests in flight get most of the deadline to finish and record their runs, and only then
    // does the runtime (and its event writer) stop.
    const drained = drain.close(config.shutdownTimeoutMs * 0.6);
    await realtime.close();
    if (!(await drained)) log.warn({ inFlight: drain.inFlight }, "requests still in flight at the shutdown deadline; their connections are cut");
    else log.info({ refused: drain.refused }, "requests in flight finished; no longer listening");
    httpServer.closeAllConnections();
    loopGuard?.stop();
    await runtime.stop();
    redis?.disconnect();
    setRuntime(undefined);
    log.info("shutdown complete");
    log.flush?.();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled promise rejection"));
}

main().catch((err: unknown) => {
  process.stderr.write(`dspex: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
