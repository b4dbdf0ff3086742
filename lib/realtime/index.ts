export { attachRealtime, type Realtime, type RealtimeOptions } from "./socket-server";
export { createRealtimeEmitter, DEFAULT_REDIS_STREAM, type RealtimeEmitter } from "./emitter";
