import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import type { Logger } from "../log";
import { createSocketBridge, type EventBus, type SocketBridge, type SocketBridgeConfig } from "../runtime/events";
import { RoomSchema, type ClientToServerEvents, type ServerToClientEvents, type SystemStatus } from "../schemas";
import { DEFAULT_REDIS_STREAM } from "./emitter";

export interface RealtimeOptions {
  bus: EventBus;
  log: Logger;
  status: () => SystemStatus;
  /** How often `system:status` is pushed to connected browsers. */
  statusIntervalMs?: number;
  /**
   * Scaled out: a Redis client for socket.io's Redis streams adapter, so an event emitted on any
   * server reaches browsers connected to every server. The caller owns (and quits) the client.
   */
  redis?: Redis;
  /** Name of the Redis stream the servers (and workers' emitters) share (default "dspex:socket.io"). */
  redisStreamName?: string;
  /** Admits a browser by the Cookie header of its handshake (default: everyone). */
  authorize?: (cookieHeader: string | undefined) => Promise<boolean>;
  /** How events are paced to browsers (tick, per-room share); see the socket bridge. */
  bridge?: Partial<Omit<SocketBridgeConfig, "skipEmptyRooms">>;
}

export interface Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** What the bus pushes to rooms, and its counters (emitted, coalesced, dropped). */
  readonly bridge: SocketBridge;
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
  if (options.redis) io.adapter(createAdapter(options.redis, { streamName: options.redisStreamName ?? DEFAULT_REDIS_STREAM }));
  const authorize = options.authorize;
  if (authorize) {
    io.use((socket, next) => {
      authorize(socket.handshake.headers.cookie).then(
        (ok) => next(ok ? undefined : new Error("UNAUTHORIZED: sign in to receive live data")),
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

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

  // Events reach rooms through the bridge: validated, paced per tick, state events coalesced.
  // With Redis, sockets of other servers count, so rooms empty here are not skipped.
  const bridge = createSocketBridge({ bus, io, log, ...options.bridge, skipEmptyRooms: !options.redis });

  const timer = setInterval(() => {
    if (io.engine.clientsCount > 0) void bus.publish("system:status", "system", options.status());
  }, options.statusIntervalMs ?? 5000);
  timer.unref();

  return {
    io,
    bridge,
    clientCount: () => io.engine?.clientsCount ?? 0,
    async close() {
      clearInterval(timer);
      bridge.close();
      io.disconnectSockets(true);
      // io.close() would also close the HTTP server; server.ts closes that itself.
      io.engine.close();
      await io.of("/").adapter.close();
    },
  };
}
