import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { ApiError } from "@/lib/api/client";

/**
 * Puts a failed request's per-field messages next to their fields; answers the message to show
 * above the form when no known field was named (or the error is not the API's).
 */
export function applyServerErrors<T extends FieldValues>(form: UseFormReturn<T>, err: unknown, fields: readonly Path<T>[]): string | undefined {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  const named = Object.entries(err.fields).filter(([field]) => (fields as readonly string[]).includes(field));
  for (const [field, message] of named) form.setError(field as Path<T>, { type: "server", message });
  return named.length === 0 ? err.message : undefined;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
