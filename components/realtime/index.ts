export { RealtimeProvider, useRealtime, useServerEvent, type ConnectionState } from "./realtime-provider";
