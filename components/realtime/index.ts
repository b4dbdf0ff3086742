export { RealtimeProvider, useRealtime, useServerEvent, useRoom, type ConnectionState } from "./realtime-provider";
export { ConfigChangeSync, QUERIES_OF_CHANGE } from "./config-change-sync";
