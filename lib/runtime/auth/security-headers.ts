// Security headers on every response. Pages get a Content-Security-Policy with a fresh nonce per
// request: Next reads the nonce from the request's own content-security-policy header and puts it
// on every script it renders, so only the scripts this server rendered run. Everything else gets
// the strictest policy. No page may be framed; HSTS only over HTTPS (a plain-HTTP localhost must
// not be pinned to HTTPS).
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isHttps } from "./cookies";

/** The page policy for one nonce. Development (Next's dev server) needs eval for its reloads. */
export function pagePolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React writes style attributes; no script can come in through them.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

function common(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "strict-origin-when-cross-origin");
  res.setHeader("x-frame-options", "DENY");
  res.setHeader("cross-origin-opener-policy", "same-origin");
  if (isHttps(req)) res.setHeader("strict-transport-security", "max-age=31536000; includeSubDomains");
}

/** Headers for a response of the HTTP API (JSON, CSV): nothing in it may run or be framed. */
export function setApiSecurityHeaders(req: IncomingMessage, res: ServerResponse): void {
  common(req, res);
  res.setHeader("content-security-policy", API_POLICY);
}

/**
 * Headers for a page: a fresh nonce in the response's policy and in the request's, where Next
 * finds it (and `x-nonce`, for the layout's own inline scripts).
 */
export function setPageSecurityHeaders(req: IncomingMessage, res: ServerResponse, dev: boolean): string {
  common(req, res);
  const nonce = randomBytes(16).toString("base64");
  const policy = pagePolicy(nonce, dev);
  res.setHeader("content-security-policy", policy);
  req.headers["content-security-policy"] = policy;
  req.headers["x-nonce"] = nonce;
  return nonce;
}
