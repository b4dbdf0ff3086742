// Reading and writing the session and CSRF cookies.
import type { IncomingMessage } from "node:http";
import { CSRF_COOKIE, SESSION_COOKIE } from "../../schemas";

export function readCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) {
      try {
        out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
      } catch {
        // a malformed value is no value
      }
    }
  }
  return out;
}

export const sessionTokenOf = (req: IncomingMessage): string | undefined => readCookies(req.headers.cookie).get(SESSION_COOKIE);

/** Secure cookies when the request came over HTTPS (directly or through a proxy that says so). */
export function isHttps(req: IncomingMessage): boolean {
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = Array.isArray(forwarded) ? forwarded[0] : forwarded;
  return proto?.split(",")[0]?.trim() === "https" || (req.socket as { encrypted?: boolean }).encrypted === true;
}

export function sessionCookies(req: IncomingMessage, session: { token: string; csrfToken: string; expiresAt: Date }): string[] {
  const common = `Path=/; SameSite=Lax; Expires=${session.expiresAt.toUTCString()}${isHttps(req) ? "; Secure" : ""}`;
  return [`${SESSION_COOKIE}=${session.token}; HttpOnly; ${common}`, `${CSRF_COOKIE}=${session.csrfToken}; ${common}`];
}

export function clearedCookies(): string[] {
  const gone = "Path=/; SameSite=Lax; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
  return [`${SESSION_COOKIE}=; HttpOnly; ${gone}`, `${CSRF_COOKIE}=; ${gone}`];
}

/** Same-origin check for changes: an Origin header, when sent, must name this host. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
