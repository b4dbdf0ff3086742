// The event pipeline as one service: the bus, the batched writer subscribed to it, the optional
// OpenTelemetry export and, when given a socket.io server, the socket bridge. The runtime creates
// it at start and registers it; it stops after the services that produce events (reverse order),
// and its stop() drains the writer.
import type { Database } from "../../db";
import type { Logger } from "../../log";
import type { Clock } from "../clock";
import { EventBus } from "./event-bus";
import { EventWriter, type EventWriterOptions } from "./event-writer";
import { createOtelExport, type OtelExport, type OtelExportOptions } from "./otel-export";
import { createRunTracer, type RunRecorder, type RunTracerOptions } from "./run-tracer";
import { createSocketBridge, type RealtimeServer, type SocketBridge, type SocketBridgeConfig } from "./socket-bridge";

export interface EventPipelineOptions {
  db: Pick<Database, "sql">;
  log: Logger;
  /** The bus to serve (the runtime's `runtime.bus`); default: a new one. */
  bus?: EventBus;
  /**
   * A socket.io server to push events to. Leave it out in the web process, where
   * `attachRealtime(http, { bus })` bridges the same bus; pass it in a worker process (a detached
   * `new Server()` on the Redis streams adapter), whose events then reach browsers on the web nodes.
   */
  io?: RealtimeServer;
  /** Writer options (`maxBatch` 1,000 unless given). */
  writer?: Omit<EventWriterOptions, "sql" | "log" | "clock">;
  /** Pacing of the bridge when `io` is given. `skipEmptyRooms` defaults to false here (a worker has no sockets of its own). */
  bridge?: Partial<SocketBridgeConfig>;
  /** OpenTelemetry export: options, or false for none. Default: on only when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT is set. */
  otel?: OtelExportOptions | false;
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
}

export interface EventPipeline {
  readonly name: "events";
  readonly bus: EventBus;
  readonly writer: EventWriter;
  readonly bridge: SocketBridge | undefined;
  readonly otel: OtelExport | undefined;
  /** A tracer for one run on this pipeline's bus (emits run:started now). */
  tracer(options: RunTracerOptions): RunRecorder;
  /** Resolves when everything emitted so far is committed: await it before reads that must see it. */
  flush(): Promise<void>;
  /** Pushes what is pending, drains the writer, flushes the export. */
  stop(): Promise<void>;
}

export function createEventPipeline(options: EventPipelineOptions): EventPipeline {
  const { db, log } = options;
  const bus = options.bus ?? new EventBus();
  // Both databases work off this thread (PGlite on its own), so a large batch costs this thread
  // only its encoding.
  const writer = new EventWriter({ maxBatch: 1_000, ...options.writer, sql: db.sql, log, clock: options.clock });
  const unsubscribers = [bus.subscribe(writer.listener)];

  const otel = options.otel === false ? undefined : createOtelExport(options.otel ?? {}, options.env ?? process.env);
  if (otel) {
    unsubscribers.push(bus.subscribe(otel.listener));
    log.info({ url: otel.url }, "exporting traces over OTLP/HTTP");
  }
  const bridge = options.io ? createSocketBridge({ skipEmptyRooms: false, ...options.bridge, bus, io: options.io, log, clock: options.clock }) : undefined;

  let stopping: Promise<void> | undefined;
  return {
    name: "events",
    bus,
    writer,
    bridge,
    otel,
    tracer: (tracerOptions) => createRunTracer(bus, tracerOptions),
    flush: () => writer.flush(),
    stop() {
      stopping ??= (async () => {
        bridge?.close();
        await writer.stop();
        if (otel) {
          await otel.shutdown().catch((err: unknown) => log.warn({ err }, "OpenTelemetry export did not flush cleanly"));
          unsubscribers.pop()?.();
        }
        // The writer stays subscribed: an event that arrives now is logged as a dead letter, not lost.
      })();
      return stopping;
    },
  };
}
