// The browser's way to call the DSPEx API: same-origin with the session cookie, the CSRF header on
// every change, and errors as ApiError with the server's per-field messages (for forms).
import { ApiErrorBodySchema, CSRF_COOKIE, CSRF_HEADER, type ApiErrorBody } from "@/lib/schemas";
import type { z } from "zod";

export type FieldErrors = Readonly<Record<string, string>>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Field path ("budget.usd", "input.question") -> message. */
    readonly fields: FieldErrors = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

function csrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

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
  if (!res.ok) {
    const parsed = ApiErrorBodySchema.safeParse(json);
    if (!parsed.success) throw new ApiError(res.status, "HTTP_ERROR", `the server answered ${res.status}`);
    const error: ApiErrorBody["error"] = parsed.data.error;
    const fields: Record<string, string> = {};
    for (const f of error.fields ?? []) fields[f.field] ??= f.message;
    if (res.status === 401 && typeof window !== "undefined" && !window.location.pathname.startsWith("/login") && !window.location.pathname.startsWith("/setup")) {
      window.location.href = `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    }
    throw new ApiError(res.status, error.code, error.message, fields);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError(res.status, "INVALID_RESPONSE", `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}
