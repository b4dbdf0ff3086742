// A real node:http server around the API, as server.ts mounts it: paths the API does not own get
// the fallback answer (Next, in production).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ServingApi } from "../api";

export const FALLBACK_BODY = "not the serving API (Next would answer)";

export interface TestServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

export async function startTestServer(api: Pick<ServingApi, "handle">): Promise<TestServer> {
  const server = createServer((req, res) => {
    void api.handle(req, res).then((handled) => {
      if (handled) return;
      res.writeHead(404, { "content-type": "text/plain" });
      res.end(FALLBACK_BODY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
