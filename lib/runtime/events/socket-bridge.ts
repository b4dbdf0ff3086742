// The socket bridge: pushes events from the bus to socket.io rooms, validated, in ticks.
//
// Each tick (`tickMs`, leading edge: an event after a quiet spell goes out on the next turn) the
// bridge emits what arrived since the last one:
// - every event once, to all its rooms at once, so a socket in several of them gets it once;
// - state events (agent, breaker, budget, optimization status, supervisor child, system status)
//   coalesced: only the latest per object and tick;
// - history events (runs, spans, LM calls, trials) in order, at most `maxPerRoomPerTick` per room;
//   past that the room gets one `stream:gap` { room, dropped } at the end of the tick instead;
// - `lmcall:recorded` without its request and response (the exact messages stay in the database).
//
// Catch-up contract for pages: every event carries its object's id (runId, spanId, LM call id,
// optimizationId + trial number, agentId) and timestamps (startedAt/endedAt/at), so pages merge
// by id and are idempotent. On (re)connect (`connectionEpoch` in the realtime provider) and on
// `stream:gap` a page joins its rooms first, then refetches from the API, then applies events newer
// than what it fetched. Events reach the browser before the batched writer commits them (at most
// its flush interval later); an API route serving catch-up reads should await the pipeline's
// `flush()` first, so a refetch sees everything that was pushed before it.
import type { Server } from "socket.io";
import { z } from "zod";
import type { Logger } from "../../log";
import { ServerEventSchemas, type ClientToServerEvents, type Room, type ServerEventName, type ServerToClientEvents } from "../../schemas";
import { systemClock, type Clock, type TimerHandle } from "../clock";
import { EventStreamError } from "./errors";
import type { BusEvent, EventBus } from "./event-bus";
import { routeEvent, stateKey } from "./routing";

export const SocketBridgeConfigSchema = z.object({
  /** Events are emitted at most once per tick. */
  tickMs: z.number().int().min(1).max(10_000).default(50),
  /** History events per room per tick; more become one `stream:gap`. */
  maxPerRoomPerTick: z.number().int().min(1).max(100_000).default(500),
  /**
   * Skip rooms no socket of this server has joined. Right with socket.io's in-memory adapter;
   * turn it off with a cluster adapter (Redis), where sockets of other servers count too.
   */
  skipEmptyRooms: z.boolean().default(true),
});
export type SocketBridgeConfig = z.infer<typeof SocketBridgeConfigSchema>;

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export interface SocketBridgeOptions extends Partial<SocketBridgeConfig> {
  bus: EventBus;
  io: RealtimeServer;
  log: Logger;
  clock?: Clock;
}

export interface SocketBridgeStats {
  readonly received: number;
  /** socket.io emits made (one per event, to all its rooms). */
  readonly emitted: number;
  readonly coalesced: number;
  /** History events skipped because their room was over its per-tick share. */
  readonly dropped: number;
  readonly invalid: number;
  readonly ticks: number;
}

export interface SocketBridge {
  /** Emits what is waiting now instead of at the next tick. */
  flush(): void;
  stats(): SocketBridgeStats;
  /** Emits what is waiting, then stops listening to the bus. */
  close(): void;
}

interface Entry {
  readonly name: ServerEventName;
  readonly payload: unknown;
  readonly rooms: Room[];
}

const bridged = new WeakSet<object>();

export function createSocketBridge(options: SocketBridgeOptions): SocketBridge {
  const parsed = SocketBridgeConfigSchema.safeParse({ tickMs: options.tickMs, maxPerRoomPerTick: options.maxPerRoomPerTick, skipEmptyRooms: options.skipEmptyRooms });
  if (!parsed.success) throw new EventStreamError("OPTION_INVALID", `socket bridge: ${parsed.error.issues[0]?.path.join(".")} ${parsed.error.issues[0]?.message}`);
  if (bridged.has(options.io)) {
    throw new EventStreamError("OPTION_INVALID", "socket bridge: this socket.io server is already bridged; attachRealtime bridges its own server, so do not pass the same io to createEventPipeline");
  }
  return new Bridge(options, parsed.data);
}

class Bridge implements SocketBridge {
  private entries: (Entry | undefined)[] = [];
  /** Index in `entries` of the pending state event per key. */
  private keyed = new Map<string, number>();
  /** History events per room this tick, and those skipped past the room's share. */
  private perRoom = new Map<Room, number>();
  private skipped = new Map<Room, number>();
  private timer: TimerHandle | undefined;
  private lastTick = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly counters = { received: 0, emitted: 0, coalesced: 0, dropped: 0, invalid: 0, ticks: 0 };
  private readonly io: RealtimeServer;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly unsubscribe: () => void;

  constructor(
    options: SocketBridgeOptions,
    private readonly config: SocketBridgeConfig,
  ) {
    this.io = options.io;
    this.log = options.log;
    this.clock = options.clock ?? systemClock();
    bridged.add(this.io);
    this.unsubscribe = options.bus.subscribe((event) => this.onEvent(event));
  }

  stats(): SocketBridgeStats {
    return { ...this.counters };
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.unsubscribe();
    bridged.delete(this.io);
  }

  /** Emits everything waiting: each event once to all its rooms, then one stream:gap per room that overflowed. */
  flush(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.lastTick = this.clock.now();
    if (this.entries.length === 0 && this.skipped.size === 0) return;
    this.counters.ticks++;
    const entries = this.entries;
    const gaps = this.skipped;
    this.entries = [];
    this.keyed = new Map();
    this.perRoom = new Map();
    this.skipped = new Map();
    for (const entry of entries) if (entry) this.emit(entry.rooms, entry.name, entry.payload);
    const at = new Date(this.lastTick).toISOString();
    for (const [room, dropped] of gaps) this.emit([room], "stream:gap", { room, dropped, at });
  }

  private onEvent(event: BusEvent): void {
    this.counters.received++;
    let rooms = this.roomsOf(event);
    if (rooms.length === 0) return;
    const key = stateKey(event);
    if (key === undefined) {
      rooms = this.withinShare(rooms);
      if (rooms.length === 0) return this.schedule();
    }
    const payload = this.validPayload(event);
    if (payload === undefined) return;
    if (key !== undefined) {
      const k = `${event.name}|${key}|${rooms.join(",")}`;
      const previous = this.keyed.get(k);
      if (previous !== undefined) {
        this.entries[previous] = undefined;
        this.counters.coalesced++;
      }
      this.keyed.set(k, this.entries.length);
    }
    this.entries.push({ name: event.name, payload, rooms });
    this.schedule();
  }

  private roomsOf(event: BusEvent): Room[] {
    const rooms = event.rooms ? [...event.rooms] : routeEvent(event);
    if (!this.config.skipEmptyRooms) return rooms;
    const local = this.io.of("/").adapter.rooms;
    return rooms.filter((r) => local.has(r));
  }

  /** The rooms still under their share of history events this tick; counts the others as skipped. */
  private withinShare(rooms: Room[]): Room[] {
    return rooms.filter((room) => {
      const n = (this.perRoom.get(room) ?? 0) + 1;
      if (n > this.config.maxPerRoomPerTick) {
        this.skipped.set(room, (this.skipped.get(room) ?? 0) + 1);
        this.counters.dropped++;
        return false;
      }
      this.perRoom.set(room, n);
      return true;
    });
  }

  /** The payload as the browser may see it (LM calls without their messages), or undefined when invalid. */
  private validPayload(event: BusEvent): unknown {
    let payload: unknown = event.payload;
    if (event.name === "lmcall:recorded") {
      const { request: _request, response: _response, ...rest } = event.payload;
      payload = rest;
    }
    // Only validated payloads cross to the browser: a bad event is a server bug, logged not sent.
    const valid = ServerEventSchemas[event.name].safeParse(payload);
    if (valid.success) return valid.data;
    this.counters.invalid++;
    this.log.error({ event: event.name, issues: valid.error.issues }, "dropped an invalid event before it reached the browser");
    return undefined;
  }

  /** Leading edge: after a quiet spell the next turn emits; otherwise one tick after the last. */
  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = this.clock.setTimeout(() => this.flush(), Math.max(0, this.lastTick + this.config.tickMs - this.clock.now()));
  }

  private emit(rooms: Room[], name: string, payload: unknown): void {
    try {
      (this.io.to(rooms).emit as (ev: string, data: unknown) => boolean)(name, payload);
      if (name !== "stream:gap") this.counters.emitted++;
    } catch (err) {
      this.log.error({ err, event: name }, "socket bridge: emit failed");
    }
  }
}
