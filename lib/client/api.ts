// The browser's way to call the DSPEx API: same-origin with the session cookie, the CSRF header on
// every change, and errors as ApiError with the server's per-field messages (for forms).
import { ApiError, csrfToken, failure } from "@/lib/api/client";
import { CSRF_HEADER } from "@/lib/schemas";
import type { z } from "zod";

// One error class and one reading of refusals for both clients, so `instanceof ApiError` holds for either.
export { ApiError, type FieldErrors } from "@/lib/api/client";

export interface ApiRequest {
  readonly method?: "GET" | "POST";
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** Calls `path` (e.g. "/api/v1/runs?limit=50") and validates the answer with `schema`. */
export async function api<S extends z.ZodType>(path: string, schema: S, request: ApiRequest = {}): Promise<z.output<S>> {
  const method = request.method ?? (request.body === undefined ? "GET" : "POST");
  const headers: Record<string, string> = { accept: "application/json" };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const csrf = method === "GET" ? undefined : csrfToken();
  if (csrf) headers[CSRF_HEADER] = csrf;
  const res = await fetch(path, {
    method,
    headers,
    credentials: "same-origin",
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    ...(request.signal && { signal: request.signal }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    throw new ApiError(res.status, "INVALID_RESPONSE", `the server answered ${res.status} with something that is not JSON`);
  }
  if (!res.ok) throw failure(res.status, json);
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, "INVALID_RESPONSE", `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
