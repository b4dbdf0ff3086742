import type { Room, ServerEventName, ServerEventPayload } from "../../schemas";

export interface BusEvent<E extends ServerEventName = ServerEventName> {
  name: E;
  room: Room;
  payload: ServerEventPayload<E>;
}

export type BusListener = (event: BusEvent) => void;

/** The in-process event stream: producers publish, the realtime server and writers subscribe. */
export class EventBus {
  private readonly listeners = new Set<BusListener>();

  publish<E extends ServerEventName>(name: E, room: Room, payload: ServerEventPayload<E>): void {
    const event = { name, room, payload } as BusEvent;
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
