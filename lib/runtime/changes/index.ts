// Configuration changes as events: published where a change is made, delivered to every process
// (caches dropped) and from there to every browser (react-query refetches).
export { createChangeFeedOver, type ChangeFeed, type ChangeHandler, type ChangeInput, type ChangeTransport, type ChangeFeedOptions } from "./change-feed";
export { createChangeFeed, type ChangeFeedConfig } from "./create-change-feed";
export { postgresTransport, CHANGE_CHANNEL } from "./postgres-transport";
export { redisTransport } from "./redis-transport";
export { withChangeEvents } from "./store-changes";
