// Redis for BullMQ tests: 127.0.0.1:6379 or DSPEX_TEST_REDIS_URL, a key prefix per test block,
// and its keys removed afterwards.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const TEST_REDIS_URL = process.env.DSPEX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function testRedisPrefix(label = "t"): string {
  return `dspex-test-${label}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under `prefix`. */
export async function removeRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
