// Changes between processes of a scaled-out deployment: Redis publish/subscribe on one channel.
// A subscribed connection can do nothing else, so listening uses a duplicate of the given client.
import type { Redis } from "ioredis";
import type { ChangeTransport } from "./change-feed";

export function redisTransport(redis: Redis, options: { readonly channel: string; readonly onError?: (err: unknown, context: string) => void }): ChangeTransport {
  const subscriber = redis.duplicate();
  subscriber.on("error", (err: unknown) => options.onError?.(err, "redis subscriber"));
  return {
    name: "redis",
    async send(message) {
      await redis.publish(options.channel, message);
    },
    async listen(deliver) {
      subscriber.on("message", (channel: string, message: string) => {
        if (channel === options.channel) deliver(message);
      });
      await subscriber.subscribe(options.channel);
    },
    async close() {
      subscriber.disconnect();
    },
  };
}
