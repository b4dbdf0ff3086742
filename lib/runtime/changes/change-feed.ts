// The change feed: every process learns within a second that a version, promotion, budget,
// dataset, provider, price, key or user changed, so it drops what it cached and tells its browsers.
// One interface, three transports: in-process (PGlite: one process owns the database),
// PostgreSQL's LISTEN/NOTIFY, and Redis publish/subscribe when the deployment is scaled out.
import { randomUUID } from "node:crypto";
import { ConfigChangeSchema, type ConfigChange, type ConfigChangeKind } from "../../schemas";

export type ChangeHandler = (change: ConfigChange) => void;

/** What a publisher says; `at` defaults to now. */
export interface ChangeInput {
  readonly kind: ConfigChangeKind;
  readonly id: string;
  readonly program?: string;
  readonly at?: string;
}

export interface ChangeFeed {
  /** The transport, for status pages and logs. */
  readonly transport: "in-process" | "postgres" | "redis";
  /**
   * Tells every process. Subscribers of this process run before it returns (a request right after
   * a change in the same process never sees a stale cache); other processes hear it through the
   * transport. Never throws: a transport failure is logged and the change still applies here.
   */
  publish(change: ChangeInput): void;
  /** Calls handler with every change from every process (this one's included, once each). */
  subscribe(handler: ChangeHandler): () => void;
  close(): Promise<void>;
}

/** A message between processes: the change and the process that made it (which has already applied it). */
export interface WireChange {
  readonly origin: string;
  readonly change: ConfigChange;
}

/** What a transport does: send to the other processes, and start delivering what they send. */
export interface ChangeTransport {
  readonly name: ChangeFeed["transport"];
  send(message: string): Promise<void>;
  /** Starts listening; `deliver` gets each raw message (its own included). */
  listen(deliver: (message: string) => void): Promise<void>;
  close(): Promise<void>;
}

export interface ChangeFeedOptions {
  readonly onError?: (err: unknown, context: string) => void;
  readonly now?: () => Date;
}

/** The feed over a transport (none: in-process only). */
export async function createChangeFeedOver(transport: ChangeTransport | undefined, options: ChangeFeedOptions = {}): Promise<ChangeFeed> {
  const origin = randomUUID();
  const handlers = new Set<ChangeHandler>();
  const onError = options.onError ?? (() => {});
  const now = options.now ?? (() => new Date());

  const deliver = (change: ConfigChange) => {
    for (const handler of [...handlers]) {
      try {
        handler(change);
      } catch (err) {
        onError(err, `a subscriber failed on a ${change.kind} change`);
      }
    }
  };

  await transport?.listen((raw) => {
    const wire = parseWire(raw);
    if (wire === undefined) return onError(new Error(`ignored a malformed change message: ${raw.slice(0, 200)}`), "receive");
    if (wire.origin !== origin) deliver(wire.change);
  });

  return {
    transport: transport?.name ?? "in-process",
    publish(input) {
      const change = ConfigChangeSchema.parse({ ...input, at: input.at ?? now().toISOString() });
      deliver(change);
      if (transport) transport.send(JSON.stringify({ origin, change } satisfies WireChange)).catch((err: unknown) => onError(err, `could not tell other processes of a ${change.kind} change`));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
    async close() {
      handlers.clear();
      await transport?.close();
    },
  };
}

function parseWire(raw: string): WireChange | undefined {
  try {
    const value = JSON.parse(raw) as { origin?: unknown; change?: unknown };
    const change = ConfigChangeSchema.safeParse(value.change);
    if (typeof value.origin !== "string" || !change.success) return undefined;
    return { origin: value.origin, change: change.data };
  } catch {
    return undefined;
  }
}
