import { z } from "zod";
import { ConfigChangeSchema } from "./changes";
import { RuntimeEventSchemas } from "./events";
import { SystemStatusSchema } from "./system";

/** Rooms a browser may join: one per feature stream, optionally narrowed to one object. */
export const RoomSchema = z
  .string()
  .max(120)
  .regex(/^(system|programs|optimizations|runs|agents|costs)(:[A-Za-z0-9_-]{1,80})?$/, {
    message: "must be a feature name such as programs, optionally followed by :<id>",
  });
export type Room = z.infer<typeof RoomSchema>;

/**
 * The server skipped events for a room (the room received more than its share in one tick).
 * A page that gets it refetches what it shows from the API, as it does after a reconnect.
 */
export const StreamGapSchema = z.object({
  room: RoomSchema,
  dropped: z.number().int().positive(),
  at: z.iso.datetime(),
});
export type StreamGap = z.infer<typeof StreamGapSchema>;

/** Every event that crosses to the browser, keyed by its socket.io name (`domain:verb`). */
export const ServerEventSchemas = {
  "system:status": SystemStatusSchema,
  "stream:gap": StreamGapSchema,
  /** Sent to every browser (room "system") when a version, promotion, budget, dataset, provider, price, key or user changed. */
  "config:changed": ConfigChangeSchema,
  ...RuntimeEventSchemas,
} as const;

export type ServerEventName = keyof typeof ServerEventSchemas;
export type ServerEventPayload<E extends ServerEventName> = z.infer<(typeof ServerEventSchemas)[E]>;

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: ServerEventPayload<E>) => void;
};

export const JoinAckSchema = z.union([z.object({ ok: z.literal(true) }), z.object({ ok: z.literal(false), error: z.string() })]);
export type JoinAck = z.infer<typeof JoinAckSchema>;

export interface ClientToServerEvents {
  "room:join": (room: unknown, ack?: (res: JoinAck) => void) => void;
  "room:leave": (room: unknown) => void;
}
