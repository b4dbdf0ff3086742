"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { io, type Socket } from "socket.io-client";
import { ServerEventSchemas, type ClientToServerEvents, type ServerEventName, type ServerEventPayload, type ServerToClientEvents } from "@/lib/schemas";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Handler = (payload: unknown) => void;

interface RealtimeValue {
  state: ConnectionState;
  subscribe(event: ServerEventName, handler: Handler): () => void;
  /** Bumps on every (re)connection, so pages can refetch what they missed while away. */
  connectionEpoch: number;
  /** Joins a room; the returned function leaves it. */
  join(room: string): () => void;
}

const RealtimeContext = createContext<RealtimeValue | null>(null);

/** After this many failed attempts in a row the indicator says offline (it keeps retrying). */
const OFFLINE_AFTER_ATTEMPTS = 3;

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ConnectionState>("connecting");
  const [connectionEpoch, setEpoch] = useState(0);
  const handlers = useRef(new Map<ServerEventName, Set<Handler>>());
  const socketRef = useRef<AppSocket | null>(null);

  useEffect(() => {
    const socket: AppSocket = io({ path: "/socket.io", reconnectionDelayMax: 5000 });
    socketRef.current = socket;
    const manager = socket.io;
    const goOffline = () => setState("offline");

    socket.on("connect", () => {
      setState("connected");
      setEpoch((n) => n + 1);
    });
    socket.on("disconnect", (reason) => {
      setState(navigator.onLine ? "reconnecting" : "offline");
      // A server that shuts down disconnects its sockets on purpose; socket.io does not retry
      // those by itself, but the server is usually coming back (a restart or a deploy).
      if (reason === "io server disconnect") socket.connect();
    });
    manager.on("reconnect_attempt", (attempt) => setState(attempt > OFFLINE_AFTER_ATTEMPTS || !navigator.onLine ? "offline" : "reconnecting"));
    window.addEventListener("offline", goOffline);

    for (const name of Object.keys(ServerEventSchemas) as ServerEventName[]) {
      socket.on(name, ((raw: unknown) => {
        const parsed = ServerEventSchemas[name].safeParse(raw);
        if (!parsed.success) {
          console.warn(`dspex: ignored a malformed ${name} event`, parsed.error.issues);
          return;
        }
        handlers.current.get(name)?.forEach((h) => h(parsed.data));
      }) as never);
    }

    return () => {
      window.removeEventListener("offline", goOffline);
      socket.removeAllListeners();
      manager.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, []);

  const subscribe = useCallback((event: ServerEventName, handler: Handler) => {
    let set = handlers.current.get(event);
    if (!set) handlers.current.set(event, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }, []);
  const join = useCallback((room: string) => {
    const socket = socketRef.current;
    socket?.emit("room:join", room);
    return () => {
      socket?.emit("room:leave", room);
    };
  }, []);
  const value = useMemo<RealtimeValue>(() => ({ state, connectionEpoch, subscribe, join }), [state, connectionEpoch, subscribe, join]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeValue {
  const ctx = useContext(RealtimeContext);
  if (!ctx) throw new Error("useRealtime must be used inside <RealtimeProvider>");
  return ctx;
}

/**
 * Keeps this component's browser in a room ("optimizations:<id>", "programs", "runs", ...) while
 * mounted, joining again after every reconnect. Pages refetch from the API when
 * `connectionEpoch` changes, so nothing depends on having been connected at the right moment.
 */
export function useRoom(room: string | undefined): void {
  const { join, connectionEpoch, state } = useRealtime();
  useEffect(() => {
    if (!room || state !== "connected") return;
    return join(room);
  }, [room, join, connectionEpoch, state]);
}

/** Calls handler with each validated payload of a server event while the component is mounted. */
export function useServerEvent<E extends ServerEventName>(event: E, handler: (payload: ServerEventPayload<E>) => void): void {
  const { subscribe } = useRealtime();
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => subscribe(event, (p) => latest.current(p as ServerEventPayload<E>)), [event, subscribe]);
}
