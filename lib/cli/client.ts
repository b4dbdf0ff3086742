// The serving API as the CLI calls it: JSON over HTTP with an API key, every reply checked with
// the API's own schemas, every error turned into a CliError with its code, message and fields.
import type { z } from "zod";
import { CliError, EXIT, exitCodeOfApiError } from "./errors";

export interface ApiClient {
  readonly baseUrl: string;
  get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>>;
  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>>;
}

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string; readonly fields?: readonly { field: string; message: string }[] };
}

export function createApiClient(baseUrl: string, apiKey: string | undefined): ApiClient {
  const root = baseUrl.replace(/\/+$/, "");
  const call = async <S extends z.ZodType>(method: string, path: string, body: unknown, schema: S): Promise<z.output<S>> => {
    let res: Response | undefined;
    // A reused connection the server just closed fails once; a GET is safe to send again.
    for (let attempt = 1; res === undefined; attempt++) {
      try {
        res = await fetch(`${root}${path}`, {
          method,
          headers: { accept: "application/json", ...(apiKey && { authorization: `Bearer ${apiKey}` }), ...(body !== undefined && { "content-type": "application/json" }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      } catch (err) {
        if (method === "GET" && attempt < 3) continue;
        throw new CliError(`cannot reach ${root}: ${err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err)}`, EXIT.unavailable);
      }
    }
    const text = await res.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const e = (json as ErrorBody | undefined)?.error;
      const fields = e?.fields?.map((f) => `${f.field}: ${f.message}`).join("; ");
      const message = e?.message ?? `${method} ${path}: HTTP ${res.status}`;
      const hint = res.status === 401 ? " (give an API key with --api-key or DSPEX_API_KEY; create one with `dspex api-key create <name>`)" : "";
      throw new CliError(`${message}${fields && !message.includes(fields) ? ` (${fields})` : ""}${hint}`, exitCodeOfApiError(e?.code ?? "", res.status), e);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new CliError(`${method} ${path}: the server's reply does not have the expected shape (${parsed.error.issues[0]?.message}); is ${root} a DSPEx server of the same version?`, EXIT.failed);
    return parsed.data;
  };
  return {
    baseUrl: root,
    get: (path, schema) => call("GET", path, undefined, schema),
    post: (path, body, schema) => call("POST", path, body, schema),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
