// A small HTTP client for tests: every error answer is checked to be the one typed error body,
// with the status its code maps to, before a test sees it.
import type { z } from "zod";
import { API_ERROR_STATUS, ApiErrorBodySchema, type ApiError } from "../../../schemas";

export interface ApiReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  readonly json: unknown;
}

export interface CallOptions {
  /** Sent as "Authorization: Bearer <key>". */
  readonly key?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (instead of body). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export async function callApi(base: string, method: string, path: string, options: CallOptions = {}): Promise<ApiReply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers["content-type"] ??= "application/json";
  const res = await fetch(base + path, { method, headers, ...(payload !== undefined && { body: payload }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status >= 400 && res.headers.get("content-type")?.startsWith("application/json")) {
    const parsed = ApiErrorBodySchema.strict().safeParse(json);
    if (!parsed.success) throw new Error(`${method} ${path}: ${res.status} body is not the typed error body: ${text}`);
    if (API_ERROR_STATUS[parsed.data.error.code] !== res.status) throw new Error(`${method} ${path}: code ${parsed.data.error.code} answered with status ${res.status}`);
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The typed error of a reply, after checking its status and code. */
export function errorOf(reply: ApiReply, status: number, code: ApiError["code"]): ApiError {
  if (reply.status !== status) throw new Error(`expected ${status} ${code}, got ${reply.status}: ${reply.text}`);
  const { error } = ApiErrorBodySchema.parse(reply.json);
  if (error.code !== code) throw new Error(`expected code ${code}, got ${error.code}: ${error.message}`);
  return error;
}

/** The body of a successful reply, parsed with its response schema (so it must fit the documented shape). */
export function bodyOf<S extends z.ZodType>(reply: ApiReply, schema: S, status = 200): z.output<S> {
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${reply.text}`);
  return schema.parse(reply.json);
}
