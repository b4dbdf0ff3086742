// Dashboard sign-in: the first administrator (once), sign in and out, and who is signed in.
// Sessions live in an HttpOnly cookie; the CSRF token in a readable cookie that the browser echoes
// in the x-csrf-token header on every change.
import type { IncomingMessage } from "node:http";
import { type AuthState } from "../../schemas";
import { clearedCookies, sessionCookies, sessionTokenOf } from "../auth";
import type { Store } from "../store";
import { retryAfterHeader, ServingError } from "./errors";
import { LOGIN_ATTEMPTS_PER_MINUTE, routes } from "../../api/routes";
import { implement, type Route } from "./router";
import type { ApiKeyLimiter, ServingDeps } from "./types";

/** Sign-in attempts per minute per client address (a guess at a password costs one). */

const clientAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";

export function authRoutes(store: Pick<Store, "findSession" | "needsSetup" | "createFirstAdmin" | "createSession" | "checkCredentials" | "endSession">, limiter: ApiKeyLimiter, onSessionsEnded?: ServingDeps["onSessionsEnded"]): Route[] {
  const state = implement(routes.authSession, async ({ req }) => {
    const session = await store.findSession(sessionTokenOf(req));
    const body: AuthState = { needsSetup: session ? false : await store.needsSetup(), user: session?.user ?? null };
    return { status: 200, body };
  });

  const setup = implement(routes.authSetup, async ({ req, res, body }) => {
    const user = await store.createFirstAdmin(body);
    res.setHeader("set-cookie", sessionCookies(req, await store.createSession(user.id)));
    return { status: 201, body: user };
  });

  const login = implement(routes.authLogin, async ({ req, res, body }) => {
    const decision = await limiter.check(`login:${clientAddress(req)}`, LOGIN_ATTEMPTS_PER_MINUTE, 1);
    if (!decision.allowed) {
      throw new ServingError("RATE_LIMITED", `too many sign-in attempts from this address; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s`, undefined, retryAfterHeader(decision.retryAfterMs));
    }
    const user = await store.checkCredentials(body);
    if (!user) throw new ServingError("UNAUTHORIZED", "wrong email or password", [{ field: "password", message: "wrong email or password" }]);
    res.setHeader("set-cookie", sessionCookies(req, await store.createSession(user.id)));
    return { status: 200, body: user };
  });

  const logout = implement(routes.authLogout, async ({ res, caller }) => {
    if (caller.kind === "user") {
      await store.endSession(caller.sessionId);
      onSessionsEnded?.({ sessionId: caller.sessionId });
    }
    res.setHeader("set-cookie", clearedCookies());
    return { status: 200, body: { ok: true } };
  });

  return [state, setup, login, logout];
}
