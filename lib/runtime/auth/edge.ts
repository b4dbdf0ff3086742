// Checks on requests for pages and Next routes, before Next sees them: only GET and HEAD (the
// dashboard has no server actions; anything else is 405), no NUL or lone surrogate in the URL, and
// no new work while the server sheds load.
import type { IncomingMessage, ServerResponse } from "node:http";
import { textProblem } from "../store";

const PAGE_METHODS = "GET, HEAD";

function answer(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): false {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store", ...headers }).end(body);
  return false;
}

/** True when the request may go on to Next; otherwise it has been answered (405, 400 or 503). */
export function admitPageRequest(req: IncomingMessage, res: ServerResponse, retryAfterMs: number | undefined): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return answer(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed here; use ${PAGE_METHODS}`, { allow: PAGE_METHODS });
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  let path: string;
  try {
    path = decodeURIComponent(q < 0 ? raw : raw.slice(0, q));
  } catch {
    return answer(res, 400, "INVALID_REQUEST", "the URL's path has a malformed percent-escape");
  }
  const pathProblem = textProblem(path);
  if (pathProblem) return answer(res, 400, "INVALID_REQUEST", `the URL's path ${pathProblem}`);
  if (q >= 0) {
    for (const [name, value] of new URLSearchParams(raw.slice(q + 1))) {
      const problem = textProblem(name) ?? textProblem(value);
      if (problem) return answer(res, 400, "INVALID_REQUEST", `the URL parameter ${JSON.stringify(name.replace(/\0/g, ""))} ${problem}`);
    }
  }
  if (retryAfterMs !== undefined && !path.startsWith("/_next/")) {
    return answer(res, 503, "OVERLOADED", "the server is too busy to take this request; retry shortly", { "retry-after": String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
  }
  return true;
}
