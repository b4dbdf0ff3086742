import type { z } from "zod";
import { DspexError } from "../errors";
import { nearestName } from "../signatures/suggest";

/**
 * An optimizer option that cannot be used. Carries the optimizer, the option and the value
 * received; the message says what the option accepts.
 */
export class OptimizerOptionError extends DspexError {
  constructor(
    readonly optimizer: string,
    readonly option: string,
    readonly received: unknown,
    readonly expected: string,
  ) {
    super("OPTION_INVALID", `${optimizer}: option "${option}" ${expected} (got ${preview(received)})`);
  }
}

/**
 * Parses an optimizer's options with its zod schema (defaults filled in). The first problem
 * becomes an OptimizerOptionError naming the option, the value received and what it accepts.
 */
export function parseOptimizerOptions<T>(optimizer: string, schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const known = "shape" in schema ? Object.keys((schema as unknown as { shape: object }).shape) : [];
    const guess = issue.keys.length === 1 ? nearestName(issue.keys[0]!, known) : undefined;
    throw new OptimizerOptionError(optimizer, issue.keys.join(", "), (input as Record<string, unknown>)[issue.keys[0]!], `is not an option; options: ${known.join(", ")}${guess ? `; did you mean "${guess}"?` : ""}`);
  }
  const key = String(issue.path[0] ?? "");
  const received = key && input && typeof input === "object" ? (input as Record<string, unknown>)[key] : input;
  throw new OptimizerOptionError(optimizer, key || "(options)", received, issue.message);
}

function preview(value: unknown): string {
  if (typeof value === "function") return "a function";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
