// Every page and Next route needs a signed-in user, except the sign-in and first-start pages and
// static assets. Before the first administrator exists, every page leads to /setup.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ActiveSession, Store } from "../store";
import { sessionTokenOf } from "./cookies";

export interface PageGate {
  /** True when the request may go on to Next; otherwise it has been answered (redirect or 401). */
  admit(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

const STATIC = /^\/(?:_next\/|favicon\.ico$|icon|apple-icon|robots\.txt$|[^/]+\.(?:png|svg|ico|txt|webmanifest)$)/;

function redirect(res: ServerResponse, location: string): false {
  res.writeHead(303, { location, "cache-control": "no-store" }).end();
  return false;
}

export function createPageGate(store: Pick<Store, "needsSetup" | "findSession">): PageGate {
  // Accounts are disabled, never deleted: once one exists, setup is over for good.
  let setupDone = false;
  const setupPending = async () => {
    if (setupDone) return false;
    const pending = await store.needsSetup();
    if (!pending) setupDone = true;
    return pending;
  };

  return {
    async admit(req, res) {
      const url = new URL(req.url ?? "/", "http://x");
      const path = url.pathname;
      if (STATIC.test(path)) return true;
      const pending = await setupPending();
      if (path === "/setup") return pending ? true : redirect(res, "/login");
      if (pending) {
        if (path.startsWith("/api/")) return unauthorized(res, "no administrator exists yet: open /setup in a browser to create one");
        return redirect(res, "/setup");
      }
      const session: ActiveSession | undefined = await store.findSession(sessionTokenOf(req));
      if (path === "/login") return session ? redirect(res, safeNext(url.searchParams.get("next"))) : true;
      if (session) return true;
      if (path.startsWith("/api/")) return unauthorized(res, "sign in first (POST /api/v1/auth/login), or send an API key");
      const next = path === "/" ? "" : `?next=${encodeURIComponent(path + url.search)}`;
      return redirect(res, `/login${next}`);
    },
  };
}

function unauthorized(res: ServerResponse, message: string): false {
  const body = JSON.stringify({ error: { code: "UNAUTHORIZED", message } });
  res.writeHead(401, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), "cache-control": "no-store" }).end(body);
  return false;
}

/** Only paths of this site: "/programs/qa", never "//evil.example" or "https://...". */
export function safeNext(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
