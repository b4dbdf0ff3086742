// A graceful stop for an HTTP server with keep-alive clients. Once `close()` is called, every new
// request is refused at once with 503, `Retry-After` and `Connection: close`, whether it comes on
// a kept-alive connection or a new one, instead of being accepted and then cut; the requests in
// flight finish, and their replies say `Connection: close` so no client sends another request
// behind them. `close()` resolves when none is left in flight (or at its deadline), so the work
// they started can be recorded before anything below them stops.
//
// The listening socket and the idle kept-alive connections stay open until then: a connection
// the kernel has accepted but the server not yet taken (on a loaded machine they wait there for
// seconds), or an idle one on which the client has already written its next request, would be
// reset if closed now (the client sees ECONNRESET and no status). Whatever arrives on them
// meanwhile gets the 503. Both close once nothing is in flight and a whole poll of the event loop
// has passed without a new connection (a connection taken in one poll is read in the next).
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export interface HttpDrain {
  /** Wraps the request handler: counts requests in flight; refuses new ones while draining. */
  handler(inner: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void;
  /** Requests in flight now. */
  readonly inFlight: number;
  /** Requests refused because the server was stopping. */
  readonly refused: number;
  readonly draining: boolean;
  /**
   * Stops taking requests: new ones are refused, replies in flight end their connections. Resolves
   * true once the requests in flight have finished and the server no longer listens or keeps idle
   * connections, false if `timeoutMs` passed first (it stops listening then too).
   */
  close(timeoutMs: number): Promise<boolean>;
}

const REFUSAL = JSON.stringify({ error: { code: "SHUTTING_DOWN", message: "the server is stopping; retry on another server or in a few seconds" } });

/** Runs `fn` after the next poll phase of the event loop (the first hop may land in the current turn). */
function afterNextPoll(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}

export function createHttpDrain(server: Server, retryAfterSeconds = 5): HttpDrain {
  let connections = 0;
  server.on("connection", () => connections++);
  const live = new Set<ServerResponse>();
  /** Replies in flight that were kept-alive until the stop began. */
  const closing = new Set<ServerResponse>();
  let draining = false;
  let refused = 0;
  let idle: (() => void) | undefined;
  return {
    handler: (inner) => (req, res) => {
      if (draining) {
        refused++;
        // A request pipelined behind one in flight: this refusal ends the connection, so the reply
        // before it must not (it would drop this one unanswered).
        for (const earlier of closing) if (earlier.req.socket === req.socket && !earlier.headersSent) earlier.shouldKeepAlive = true;
        res.shouldKeepAlive = false;
        res.writeHead(503, { "content-type": "application/json", "retry-after": String(retryAfterSeconds), connection: "close" }).end(REFUSAL);
        return;
      }
      live.add(res);
      res.once("close", () => {
        live.delete(res);
        closing.delete(res);
        if (live.size === 0) idle?.();
      });
      inner(req, res);
    },
    get inFlight() {
      return live.size;
    },
    get refused() {
      return refused;
    },
    get draining() {
      return draining;
    },
    close(timeoutMs) {
      draining = true;
      // A reply not yet started says Connection: close, so its connection ends after it (a reply
      // already streaming keeps its connection until the idle ones close).
      for (const res of live) {
        if (res.headersSent || !res.shouldKeepAlive) continue;
        res.shouldKeepAlive = false;
        closing.add(res);
      }
      // http.Server#close stops listening and closes the idle connections.
      return new Promise<boolean>((resolve) => {
        let stopped = false;
        const stop = (drained: boolean) => {
          if (!stopped) server.close();
          stopped = true;
          resolve(drained);
        };
        const timer = setTimeout(() => stop(false), timeoutMs);
        timer.unref();
        const stopWhenQuiet = () => {
          const seen = connections;
          afterNextPoll(() => {
            // A connection taken in that poll may bring a request in the next: wait for it first.
            if (connections !== seen) return stopWhenQuiet();
            clearTimeout(timer);
            stop(true);
          });
        };
        idle = stopWhenQuiet;
        if (live.size === 0) idle();
      });
    },
  };
}
