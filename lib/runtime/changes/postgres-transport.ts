// Changes between processes on one PostgreSQL database: NOTIFY on a channel, LISTEN on a
// connection of its own (a pooled connection cannot hold a LISTEN). A lost connection is opened
// again after a short wait; changes missed meanwhile are covered by the caches' own expiry.
import pg from "pg";
import type { ChangeTransport } from "./change-feed";

export const CHANGE_CHANNEL = "dspex_changes";

export interface PostgresTransportOptions {
  readonly url: string;
  readonly channel?: string;
  readonly reconnectMs?: number;
  readonly onError?: (err: unknown, context: string) => void;
}

export function postgresTransport(options: PostgresTransportOptions): ChangeTransport {
  const channel = options.channel ?? CHANGE_CHANNEL;
  const onError = options.onError ?? (() => {});
  let listener: pg.Client | undefined;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  // NOTIFY goes through a small pool of its own, so a busy application pool never delays it.
  const sender = new pg.Pool({ connectionString: options.url, max: 1 });
  sender.on("error", (err) => onError(err, "notify connection"));

  const connect = async (deliver: (message: string) => void): Promise<void> => {
    const client = new pg.Client({ connectionString: options.url });
    client.on("notification", (n) => {
      if (n.channel === channel && n.payload !== undefined) deliver(n.payload);
    });
    client.on("error", (err) => {
      onError(err, "listen connection lost; reconnecting");
      void client.end().catch(() => {});
      if (listener === client) listener = undefined;
      if (!closed) timer = setTimeout(() => void connect(deliver).catch((e: unknown) => onError(e, "reconnect")), options.reconnectMs ?? 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${channel}`);
    listener = client;
  };

  return {
    name: "postgres",
    async send(message) {
      await sender.query("SELECT pg_notify($1, $2)", [channel, message]);
    },
    listen: connect,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await listener?.end().catch(() => {});
      await sender.end().catch(() => {});
    },
  };
}
