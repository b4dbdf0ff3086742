// The HTTP plumbing every local stand-in server shares: listen on 127.0.0.1, read a body, and close
// while dropping every open connection (hung ones included).

import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Listening {
  /** e.g. "http://127.0.0.1:41234". */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Serves `handle` on 127.0.0.1:`port` (0: any free port); a handler that throws answers 500. */
export async function listen(handle: Handler, port = 0, onError?: (res: ServerResponse, error: unknown) => void): Promise<Listening> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else if (onError !== undefined) onError(res, error);
      else res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("end", () => resolve(parts.length === 1 ? (parts[0] as Buffer).toString("utf8") : Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

/** Drops the connection with a TCP reset (the client sees ECONNRESET). */
export function resetConnection(res: ServerResponse): void {
  const socket = res.socket as (Socket & { resetAndDestroy?: () => void }) | null;
  if (socket?.resetAndDestroy) socket.resetAndDestroy();
  else socket?.destroy();
}

/** Splits the path and query of a request URL. */
export function splitUrl(url: string | undefined): { path: string; query: Record<string, string> } {
  const u = url ?? "/";
  const q = u.indexOf("?");
  return q === -1 ? { path: u, query: {} } : { path: u.slice(0, q), query: Object.fromEntries(new URLSearchParams(u.slice(q + 1))) };
}
