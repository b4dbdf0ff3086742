import type { z } from "zod";
import { SamplerOptionError } from "./errors";

/**
 * Parses a sampler's options with its schema (defaults filled in). The first problem becomes a
 * SamplerOptionError naming the option, the value received and what it accepts.
 */
export function parseOptions<T>(sampler: string, schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const known = "shape" in schema ? Object.keys((schema as unknown as { shape: object }).shape).join(", ") : "";
    throw new SamplerOptionError(sampler, issue.keys.join(", "), (input as Record<string, unknown>)[issue.keys[0]!], `is not an option; options: ${known}`);
  }
  const key = String(issue.path[0] ?? "");
  const received = key && input && typeof input === "object" ? (input as Record<string, unknown>)[key] : input;
  throw new SamplerOptionError(sampler, key || "(options)", received, issue.message);
}
