import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Redis } from "ioredis";
import { Server } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../../schemas";

export const DEFAULT_REDIS_STREAM = "dspex:socket.io";

export interface RealtimeEmitter {
  /** Pass it to `createEventPipeline({ io })`. */
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  /** Stops reading the stream; the caller owns (and quits) the Redis client. */
  close(): Promise<void>;
}

/**
 * A socket.io server with no HTTP server of its own, on the Redis streams adapter: what a worker
 * process bridges its event pipeline to, so its events reach browsers connected to the web servers.
 */
export function createRealtimeEmitter(redis: Redis, streamName = DEFAULT_REDIS_STREAM): RealtimeEmitter {
  const io = new Server<ClientToServerEvents, ServerToClientEvents>();
  io.adapter(createAdapter(redis, { streamName }));
  return {
    io,
    close: async () => {
      await io.of("/").adapter.close();
    },
  };
}
