export { RealtimeProvider, useRealtime, useServerEvent, useRoom, type ConnectionState } from "./realtime-provider";
