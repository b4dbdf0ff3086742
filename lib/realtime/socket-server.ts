import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Logger } from "../log";
import type { EventBus } from "../runtime/events";
import { RoomSchema, ServerEventSchemas, type ClientToServerEvents, type ServerToClientEvents, type SystemStatus } from "../schemas";

export interface RealtimeOptions {
  bus: EventBus;
  log: Logger;
  status: () => SystemStatus;
  /** How often `system:status` is pushed to connected browsers. */
  statusIntervalMs?: number;
}

export interface Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  clientCount(): number;
  close(): Promise<void>;
}

/** socket.io on the app's HTTP server: browsers join rooms and receive validated bus events. */
export function attachRealtime(httpServer: HttpServer, options: RealtimeOptions): Realtime {
  const { bus, log } = options;
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    path: "/socket.io",
    serveClient: false,
    // Next handles its own upgrade requests (dev reloads); socket.io only answers its path.
    destroyUpgrade: false,
  });

  io.on("connection", (socket) => {
    void socket.join("system");
    socket.emit("system:status", options.status());
    socket.on("room:join", (raw, ack) => {
      const room = RoomSchema.safeParse(raw);
      if (!room.success) {
        ack?.({ ok: false, error: `room ${room.error.issues[0]?.message ?? "is invalid"}` });
        return;
      }
      void socket.join(room.data);
      ack?.({ ok: true });
    });
    socket.on("room:leave", (raw) => {
      const room = RoomSchema.safeParse(raw);
      if (room.success && room.data !== "system") void socket.leave(room.data);
    });
  });

  const unsubscribe = bus.subscribe((event) => {
    // Only validated payloads cross to the browser: a bad event is a server bug, logged not sent.
    const parsed = ServerEventSchemas[event.name].safeParse(event.payload);
    if (!parsed.success) {
      log.error({ event: event.name, issues: parsed.error.issues }, "dropped an invalid event before it reached the browser");
      return;
    }
    // The name and its payload were checked together by the schema lookup above.
    (io.to(event.room).emit as (name: string, payload: unknown) => boolean)(event.name, parsed.data);
  });

  const timer = setInterval(() => {
    if (io.engine.clientsCount > 0) bus.publish("system:status", "system", options.status());
  }, options.statusIntervalMs ?? 5000);
  timer.unref();

  return {
    io,
    clientCount: () => io.engine?.clientsCount ?? 0,
    async close() {
      clearInterval(timer);
      unsubscribe();
      io.disconnectSockets(true);
      // io.close() would also close the HTTP server; server.ts closes that itself.
      io.engine.close();
    },
  };
}
