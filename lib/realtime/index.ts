export { attachRealtime, type Realtime, type RealtimeOptions } from "./socket-server";
