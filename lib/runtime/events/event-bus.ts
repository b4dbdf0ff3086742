// The runtime's one typed event stream, in process. Producers emit runtime events (validated
// against their schema in development and tests, passed through as-is in production); the
// batched writer, the socket bridge and the OpenTelemetry export subscribe. A subscriber that
// needs the producer to slow down returns a promise, and `emit` hands it back: that is the
// stream's back-pressure.
import { RuntimeEventSchemas, type Room, type RuntimeEvent, type RuntimeEventName, type RuntimeEventPayload, type ServerEventName, type ServerEventPayload } from "../../schemas";
import { EventStreamError } from "./errors";

/**
 * The promise `emit` returns when no subscriber asks the producer to wait. It is one shared,
 * already-resolved promise, so a producer on the hot path can test `result === READY` and skip
 * awaiting (and allocating) entirely.
 */
export const READY: Promise<void> = Promise.resolve();

interface BusEventBase {
  /** Increases by one per event on this bus: an order and an id within the process. */
  readonly seq: number;
  /** Epoch milliseconds when the event entered the bus (for latency figures). */
  readonly publishedAt: number;
  /** The rooms given to `publish`; undefined for emitted events, which are routed by `routeEvent`. */
  readonly rooms?: readonly Room[];
  /** The producer awaits the database commit of this event (see `EmitOptions.durable`). */
  readonly durable: boolean;
}

/** One event as subscribers see it: name and payload, narrowed together. */
export type BusEvent = {
  [E in ServerEventName]: BusEventBase & { readonly name: E; readonly payload: ServerEventPayload<E> };
}[ServerEventName];

/** Returns nothing, or a promise when the producer should wait (a full buffer, a durable commit). */
export type BusListener = (event: BusEvent) => void | Promise<void>;

export interface EventBusOptions {
  /** Parse every emitted payload with its schema and throw on a bad one. Default: on unless NODE_ENV is production. */
  validate?: boolean;
  /** Epoch milliseconds; injected in tests. */
  now?: () => number;
}

export interface EmitOptions {
  /**
   * Resolve only once the event is committed to the database (group commit: every producer
   * waiting at that moment shares one flush). Rejects with an `EventStreamError` of code
   * `EVENT_WRITE_FAILED` when the writer gives up on it.
   */
  durable?: boolean;
}

export class EventBus {
  private readonly listeners: BusListener[] = [];
  private readonly validate: boolean;
  private readonly now: () => number;
  private seq = 0;

  constructor(options: EventBusOptions = {}) {
    this.validate = options.validate ?? process.env.NODE_ENV !== "production";
    this.now = options.now ?? Date.now;
  }

  /**
   * Puts a runtime event on the stream. Resolves at once (returning `READY`) unless a subscriber
   * asks the producer to wait; await it to honour back-pressure. Throws `EventStreamError`
   * (`EVENT_INVALID`) when validation is on and the payload fails its schema.
   */
  emit<E extends RuntimeEventName>(name: E, payload: RuntimeEventPayload<E>, options?: EmitOptions): Promise<void> {
    if (this.validate) {
      const parsed = RuntimeEventSchemas[name].safeParse(payload);
      if (!parsed.success) throw invalidEvent(name, parsed.error.issues);
    }
    return this.dispatch({ seq: ++this.seq, publishedAt: this.now(), durable: options?.durable === true, name, payload } as BusEvent);
  }

  /** `emit` for an event already held as `{ name, payload }`. */
  emitEvent(event: RuntimeEvent, options?: EmitOptions): Promise<void> {
    return (this.emit as (n: RuntimeEventName, p: unknown, o?: EmitOptions) => Promise<void>)(event.name, event.payload, options);
  }

  /**
   * Pushes a server message to one room, bypassing routing (e.g. `system:status` to "system").
   * Not validated here: the socket bridge validates everything before it reaches a browser.
   */
  publish<E extends ServerEventName>(name: E, room: Room, payload: ServerEventPayload<E>): Promise<void> {
    return this.dispatch({ seq: ++this.seq, publishedAt: this.now(), durable: false, rooms: [room], name, payload } as BusEvent);
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(listener: BusListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private dispatch(event: BusEvent): Promise<void> {
    let wait: Promise<void> | undefined;
    let more: Promise<void>[] | undefined;
    let failure: { error: unknown } | undefined;
    for (const listener of this.listeners) {
      let result: void | Promise<void>;
      try {
        result = listener(event);
      } catch (error) {
        // Every subscriber still sees the event; the producer learns about the first failure.
        failure ??= { error };
        continue;
      }
      if (!result || result === READY) continue;
      if (!wait) wait = result;
      else (more ??= []).push(result);
    }
    if (failure) throw failure.error;
    if (!wait) return READY;
    return more ? Promise.all([wait, ...more]).then(() => undefined) : wait;
  }
}

function invalidEvent(name: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): EventStreamError {
  const where = issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join(".") : "(payload)"}: ${i.message}`)
    .join("; ");
  return new EventStreamError("EVENT_INVALID", `event "${name}": ${where}; build the payload as its schema in lib/schemas/events.ts says`);
}
