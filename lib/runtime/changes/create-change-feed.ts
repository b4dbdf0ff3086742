import type { Redis } from "ioredis";
import { createChangeFeedOver, type ChangeFeed, type ChangeFeedOptions } from "./change-feed";
import { postgresTransport } from "./postgres-transport";
import { redisTransport } from "./redis-transport";

export interface ChangeFeedConfig extends ChangeFeedOptions {
  /** Scaled out: changes travel over Redis (`<prefix>:changes`). */
  readonly redis?: { readonly client: Redis; readonly prefix: string };
  /** On PostgreSQL without Redis: LISTEN/NOTIFY on this database. */
  readonly postgresUrl?: string;
}

/** Redis when there is one, else PostgreSQL's notifications, else in-process (PGlite: one process). */
export function createChangeFeed(config: ChangeFeedConfig): Promise<ChangeFeed> {
  const { onError } = config;
  const errors = onError ? { onError } : {};
  if (config.redis) return createChangeFeedOver(redisTransport(config.redis.client, { channel: `${config.redis.prefix}:changes`, ...errors }), config);
  if (config.postgresUrl) return createChangeFeedOver(postgresTransport({ url: config.postgresUrl, ...errors }), config);
  return createChangeFeedOver(undefined, config);
}
