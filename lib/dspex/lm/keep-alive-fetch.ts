// The fetch the provider SDKs use: one request over undici's request API on a shared keep-alive
// connection pool, the reply handed back as a Response. Node's own fetch builds a Request,
// WHATWG header lists and body streams for every call, which cost the server two to three times
// the CPU of the request itself (measured by `npm run bench -- serving`, path "direct-keepalive").
// Replies are read whole, except event streams, which are passed through as they arrive. Bodies
// other than text or bytes (a file upload's FormData or stream) go to the platform's fetch.
import { Readable } from "node:stream";
import { Agent, request, type Dispatcher } from "undici";

/** Idle connections are kept this long; the providers close theirs after a few seconds too. */
const KEEP_ALIVE_MS = 4_000;

let pool: Agent | undefined;
const sharedPool = (): Agent => (pool ??= new Agent({ keepAliveTimeout: KEEP_ALIVE_MS }));

type Body = string | Uint8Array | undefined;

function bodyOf(body: RequestInit["body"]): Body | null {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return null;
}

function headersOf(init: HeadersInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (init === undefined) return out;
  if (init instanceof Headers || Array.isArray(init)) for (const [k, v] of init instanceof Headers ? init : init) out[k.toLowerCase()] = v!;
  else for (const k of Object.keys(init)) out[k.toLowerCase()] = init[k]!;
  return out;
}

function responseHeaders(raw: Dispatcher.ResponseData["headers"]): Headers {
  const headers = new Headers();
  for (const k of Object.keys(raw)) {
    const v = raw[k];
    if (typeof v === "string") headers.append(k, v);
    else if (Array.isArray(v)) for (const one of v) headers.append(k, one);
  }
  return headers;
}

const NO_BODY = new Set([204, 205, 304]);

/**
 * A fetch over a keep-alive undici pool, for SDK clients (`new OpenAI({ fetch })`). It follows no
 * redirects (provider APIs answer directly); a redirect comes back as the response it is.
 */
export function keepAliveFetch(fallback: typeof fetch): typeof fetch {
  return async (input, init) => {
    const body = bodyOf(init?.body);
    if (typeof input !== "string" && !(input instanceof URL)) return fallback(input, init);
    if (body === null) return fallback(input, init);
    const res = await request(input, {
      method: (init?.method ?? "GET") as Dispatcher.HttpMethod,
      headers: headersOf(init?.headers),
      body,
      signal: init?.signal ?? undefined,
      dispatcher: sharedPool(),
    });
    const headers = responseHeaders(res.headers);
    const status = res.statusCode;
    if (NO_BODY.has(status)) {
      res.body.resume();
      return new Response(null, { status, headers });
    }
    if (headers.get("content-type")?.startsWith("text/event-stream")) {
      return new Response(Readable.toWeb(res.body) as ReadableStream<Uint8Array>, { status, headers });
    }
    return new Response(await res.body.arrayBuffer(), { status, headers });
  };
}
