export { attachRealtime, type Realtime, type RealtimeOptions, type SocketIdentity } from "./socket-server";
// The emitter lives with the runtime's events (a worker process uses it): realtime depends on runtime, never the reverse.
export { createRealtimeEmitter, DEFAULT_REDIS_STREAM, type RealtimeEmitter } from "../runtime/events/socket-emitter";
