import type { z } from "zod";
import { InvalidInputError } from "./errors";

/** Parses a store function's input; a failure becomes an InvalidInputError naming every field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new InvalidInputError(
    what,
    parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join("."), message: issue.message })),
  );
}
