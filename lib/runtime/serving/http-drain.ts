// A graceful stop for an HTTP server with keep-alive clients. Once `close()` is called, a request
// arriving on a connection that is still open (a kept-alive one) is refused at once with 503,
// `Retry-After` and `Connection: close`, instead of being accepted and then cut; the requests in
// flight finish. `close()` resolves when none is
// left in flight (or at its deadline), so the work they started can be recorded before anything
// below them stops.
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
   * Stops accepting: no new connections, new requests refused, idle connections closed. Resolves
   * true once the requests in flight have finished, false if `timeoutMs` passed first.
   */
  close(timeoutMs: number): Promise<boolean>;
}

const REFUSAL = JSON.stringify({ error: { code: "SHUTTING_DOWN", message: "the server is stopping; retry on another server or in a few seconds" } });

export function createHttpDrain(server: Server, retryAfterSeconds = 5): HttpDrain {
  const live = new Set<ServerResponse>();
  let draining = false;
  let refused = 0;
  let idle: (() => void) | undefined;
  return {
    handler: (inner) => (req, res) => {
      if (draining) {
        refused++;
        res.shouldKeepAlive = false;
        res.writeHead(503, { "content-type": "application/json", "retry-after": String(retryAfterSeconds), connection: "close" }).end(REFUSAL);
        return;
      }
      live.add(res);
      res.once("close", () => {
        live.delete(res);
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
      server.close();
      // Connections between requests close now. A busy one stays open after its response, so a
      // request already sent behind it (pipelined, or racing the close) gets the 503, not a cut.
      server.closeIdleConnections();
      if (live.size === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
        idle = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
  };
}
