import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import type { Logger } from "../log";
import { createSocketBridge, type EventBus, type SocketBridge, type SocketBridgeConfig } from "../runtime/events";
import { originAllowed } from "../runtime/auth";
import type { ChangeFeed } from "../runtime/changes";
import { ConfigChangeSchema, RoomSchema, type Room, type ClientToServerEvents, type ServerToClientEvents, type SystemStatus } from "../schemas";
import { DEFAULT_REDIS_STREAM } from "../runtime/events/socket-emitter";

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
  /**
   * Configuration changes from every process, pushed to this server's own browsers as
   * `config:changed` (every server hears each change, so each tells only its own sockets).
   */
  changes?: Pick<ChangeFeed, "subscribe">;
  /**
   * Who a browser is, from the Cookie header of its handshake; undefined refuses it (default:
   * everyone, anonymously). A socket of a session sits in the rooms session:<id> and user:<id>,
   * which endSessions empties.
   */
  identify?: (cookieHeader: string | undefined) => Promise<SocketIdentity | undefined>;
  /** Whether a browser may join a room now, by the Cookie header of its handshake (asked on every join, so an ended session is refused; default: yes). */
  canJoin?: (cookieHeader: string | undefined, room: Room) => Promise<boolean>;
  /** How events are paced to browsers (tick, per-room share); see the socket bridge. */
  bridge?: Partial<Omit<SocketBridgeConfig, "skipEmptyRooms">>;
}

export interface SocketIdentity {
  readonly userId: string;
  readonly sessionId: string;
}

export interface Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** What the bus pushes to rooms, and its counters (emitted, coalesced, dropped). */
  readonly bridge: SocketBridge;
  clientCount(): number;
  /** Disconnects every socket of a session or of a user, on every server (sign-out, disabled account). */
  endSessions(who: { readonly sessionId: string } | { readonly userId: string }): void;
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
    // A page of another site (or another port of this host) must not open a socket with this
    // site's cookie: the Origin, when sent, must be this host.
    allowRequest: (req, callback) => callback(null, originAllowed(req)),
  });
  if (options.redis) io.adapter(createAdapter(options.redis, { streamName: options.redisStreamName ?? DEFAULT_REDIS_STREAM }));
  const { identify, canJoin } = options;
  if (identify) {
    io.use((socket, next) => {
      identify(socket.handshake.headers.cookie).then(
        (who) => {
          if (!who) return next(new Error("UNAUTHORIZED: sign in to receive live data"));
          socket.data.identity = who;
          next();
        },
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    });
  }

  io.on("connection", (socket) => {
    const identity = socket.data.identity as SocketIdentity | undefined;
    if (identity) void socket.join([`session:${identity.sessionId}`, `user:${identity.userId}`]);
    void socket.join("system");
    socket.emit("system:status", options.status());
    socket.on("room:join", (raw, ack) => {
      const room = RoomSchema.safeParse(raw);
      if (!room.success) {
        ack?.({ ok: false, error: `room ${room.error.issues[0]?.message ?? "is invalid"}` });
        return;
      }
      const cookie = socket.handshake.headers.cookie;
      const allowed = canJoin ? canJoin(cookie, room.data) : Promise.resolve(true);
      allowed.then(
        (ok) => {
          if (!ok) {
            ack?.({ ok: false, error: `not allowed to watch ${room.data}` });
            // A session that has ended loses its socket, not just the room.
            void canJoin?.(cookie, "system").then((alive) => alive || socket.disconnect(true));
            return;
          }
          void socket.join(room.data);
          ack?.({ ok: true });
        },
        () => ack?.({ ok: false, error: "the room could not be checked; retry" }),
      );
    });
    socket.on("room:leave", (raw) => {
      const room = RoomSchema.safeParse(raw);
      if (room.success && room.data !== "system") void socket.leave(room.data);
    });
  });

  // Events reach rooms through the bridge: validated, paced per tick, state events coalesced.
  // With Redis, sockets of other servers count, so rooms empty here are not skipped.
  const bridge = createSocketBridge({ bus, io, log, ...options.bridge, skipEmptyRooms: !options.redis });

  const unsubscribeChanges = options.changes?.subscribe((change) => {
    const valid = ConfigChangeSchema.safeParse(change);
    if (!valid.success) return log.error({ issues: valid.error.issues }, "dropped an invalid config:changed event before it reached the browser");
    io.local.to("system").emit("config:changed", valid.data);
  });

  const timer = setInterval(() => {
    if (io.engine.clientsCount > 0) void bus.publish("system:status", "system", options.status());
  }, options.statusIntervalMs ?? 5000);
  timer.unref();

  return {
    io,
    bridge,
    clientCount: () => io.engine?.clientsCount ?? 0,
    endSessions(who) {
      io.in("sessionId" in who ? `session:${who.sessionId}` : `user:${who.userId}`).disconnectSockets(true);
    },
    async close() {
      clearInterval(timer);
      unsubscribeChanges?.();
      bridge.close();
      io.disconnectSockets(true);
      // io.close() would also close the HTTP server; server.ts closes that itself.
      io.engine.close();
      await io.of("/").adapter.close();
    },
  };
}
