// Where each event goes in the browser: the socket.io rooms of its feature stream and of the
// objects it belongs to. Pure functions of the event, shared by the socket bridge and its tests.
import type { Room, RuntimeEvent, ServerEventName, ServerEventPayload } from "../../schemas";

/** An event of the stream or a server message such as `system:status`. */
export type AnyServerEvent = { [E in ServerEventName]: { readonly name: E; readonly payload: ServerEventPayload<E> } }[ServerEventName];

// The id part of a room, as RoomSchema accepts it; an id outside it gets no object room.
const ROOM_ID = /^[A-Za-z0-9_-]{1,80}$/;

function push(rooms: Room[], feature: string, id: string | null | undefined): void {
  if (id && ROOM_ID.test(id)) rooms.push(`${feature}:${id}`);
}

/**
 * The rooms an event is delivered to:
 *
 * | event                                  | rooms                                                        |
 * |----------------------------------------|--------------------------------------------------------------|
 * | run:started, run:finished              | runs, runs:<runId>, programs:<programId>                     |
 * | span:finished                          | runs:<runId>                                                 |
 * | lmcall:recorded                        | costs, runs:<runId>                                          |
 * | trial:finished, optimization:status    | optimizations, optimizations:<optimizationId>                |
 * | supervisor:child                       | agents                                                       |
 * | agent:state                            | agents, agents:<systemId>                                    |
 * | breaker:state, system:status           | system                                                       |
 * | config:changed                         | system                                                       |
 * | budget:status                          | costs                                                        |
 */
export function routeEvent(event: AnyServerEvent | RuntimeEvent): Room[] {
  const rooms: Room[] = [];
  switch (event.name) {
    case "run:started":
    case "run:finished":
      rooms.push("runs");
      push(rooms, "runs", event.payload.runId);
      push(rooms, "programs", event.payload.programId);
      return rooms;
    case "span:finished":
      push(rooms, "runs", event.payload.runId);
      return rooms;
    case "lmcall:recorded":
      rooms.push("costs");
      push(rooms, "runs", event.payload.runId);
      return rooms;
    case "trial:finished":
    case "optimization:status":
      rooms.push("optimizations");
      push(rooms, "optimizations", event.payload.optimizationId);
      return rooms;
    case "supervisor:child":
      rooms.push("agents");
      return rooms;
    case "agent:state":
      rooms.push("agents");
      push(rooms, "agents", event.payload.systemId);
      return rooms;
    case "breaker:state":
    case "system:status":
    case "config:changed":
      rooms.push("system");
      return rooms;
    case "budget:status":
      rooms.push("costs");
      return rooms;
    case "stream:gap":
      rooms.push(event.payload.room);
      return rooms;
  }
}

/**
 * For events that describe the current state of one thing (an agent, a breaker, a budget), the
 * thing's key: only the latest such event per key matters, so the socket bridge keeps the last one
 * of each tick. Events that append to a history (runs, spans, LM calls, trials) have no key.
 */
export function stateKey(event: AnyServerEvent | RuntimeEvent): string | undefined {
  switch (event.name) {
    case "optimization:status":
      return event.payload.optimizationId;
    case "agent:state":
      return event.payload.agentId;
    case "supervisor:child":
      return `${event.payload.supervisor}/${event.payload.child}`;
    case "breaker:state":
      return event.payload.provider;
    case "budget:status":
      return `${event.payload.scope}/${event.payload.scopeId}/${event.payload.period}`;
    case "system:status":
      return "";
    default:
      return undefined;
  }
}
