// Runs one stand-in provider as its own process, for benches and end-to-end tests:
//   node --import tsx lib/testing/stand-in-main.ts --protocol anthropic --port 4101 [--api-key K] [--config models.json]
// The config file is a JSON array of models ({ id, price?, behaviour?, brain?, delayMs?, fail?, reasoning? }).
// Prints one JSON line {"ready":true,...} when listening; stops on SIGTERM or SIGINT.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { DEFAULT_STAND_IN_MODELS } from "./stand-in-defaults";
import { startStandIn } from "./stand-in";

const Price = z.object({ input: z.string(), output: z.string(), cacheRead: z.string().optional(), cacheWrite: z.string().optional() }).strict();
const Model = z
  .object({
    id: z.string().min(1),
    price: Price.optional(),
    behaviour: z.enum(["follows", "ignores-markers"]).optional(),
    brain: z.string().startsWith("dspex-demo").optional(),
    delayMs: z.number().int().min(0).optional(),
    fail: z.object({ status: z.number().int().min(400).max(599), times: z.number().int().min(0).optional(), retryAfterSeconds: z.number().min(0).optional() }).strict().optional(),
    reasoning: z.boolean().optional(),
  })
  .strict();

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      protocol: { type: "string", default: "openai" },
      port: { type: "string", default: "0" },
      "api-key": { type: "string" },
      config: { type: "string" },
      "min-cache-tokens": { type: "string" },
    },
  });
  const protocol = z.enum(["openai", "anthropic"]).parse(values.protocol);
  const port = z.coerce.number().int().min(0).max(65535).parse(values.port);
  const models = values.config !== undefined ? z.array(Model).min(1).parse(JSON.parse(readFileSync(values.config, "utf8"))) : DEFAULT_STAND_IN_MODELS[protocol];
  const standIn = await startStandIn({
    protocol,
    port,
    models,
    apiKey: values["api-key"],
    record: false,
    ...(values["min-cache-tokens"] !== undefined && { minCacheTokens: z.coerce.number().int().min(0).parse(values["min-cache-tokens"]) }),
  });
  process.stdout.write(`${JSON.stringify({ ready: true, protocol, baseURL: standIn.baseURL, models: models.map((m) => m.id) })}\n`);
  const stop = () => void standIn.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`stand-in: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
