// Dashboard sign-in: the first administrator (once), sign in and out, and who is signed in.
// Sessions live in an HttpOnly cookie; the CSRF token in a readable cookie that the browser echoes
// in the x-csrf-token header on every change.
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { PrismaClient } from "../../db";
import { AuthStateSchema, LoginBodySchema, SessionUserSchema, SetupBodySchema, type AuthState, type LoginBody, type SetupBody } from "../../schemas";
import { checkCredentials, clearedCookies, createFirstAdmin, createSession, endSession, findSession, needsSetup, sessionCookies, sessionTokenOf } from "../auth";
import { retryAfterHeader, ServingError } from "./errors";
import { defineRoute, type Route } from "./router";
import type { ApiKeyLimiter } from "./types";

/** Sign-in attempts per minute per client address (a guess at a password costs one). */
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

const clientAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? "unknown";

export function authRoutes(prisma: PrismaClient, limiter: ApiKeyLimiter): Route[] {
  const state = defineRoute(
    {
      method: "GET",
      path: "/api/v1/auth/session",
      operationId: "authSession",
      summary: "Who is signed in",
      description: "The signed-in user (null when none), and whether the first administrator is still to be created.",
      tag: "auth",
      auth: false,
      success: { status: 200, name: "AuthState", schema: AuthStateSchema, description: "The session state." },
      errors: [],
    },
    async ({ req }) => {
      const session = await findSession(prisma, sessionTokenOf(req));
      const body: AuthState = { needsSetup: session ? false : await needsSetup(prisma), user: session?.user ?? null };
      return { status: 200, body };
    },
  );

  const setup = defineRoute<undefined, SetupBody>(
    {
      method: "POST",
      path: "/api/v1/auth/setup",
      operationId: "authSetup",
      summary: "Create the first administrator",
      description: "Only while no account exists (the first start); signs the new administrator in. 409 afterwards.",
      tag: "auth",
      auth: false,
      body: { name: "SetupBody", schema: SetupBodySchema, example: { name: "Ada Lovelace", email: "ada@example.com", password: "a long passphrase" }, limit: "single" },
      success: { status: 201, name: "SessionUser", schema: SessionUserSchema, description: "The administrator, signed in (cookies set)." },
      errors: ["CONFLICT"],
    },
    async ({ req, res, body }) => {
      const user = await createFirstAdmin(prisma, body);
      res.setHeader("set-cookie", sessionCookies(req, await createSession(prisma, user.id)));
      return { status: 201, body: user };
    },
  );

  const login = defineRoute<undefined, LoginBody>(
    {
      method: "POST",
      path: "/api/v1/auth/login",
      operationId: "authLogin",
      summary: "Sign in",
      description: `Email and password; sets the session cookies. At most ${LOGIN_ATTEMPTS_PER_MINUTE} attempts per minute per client address.`,
      tag: "auth",
      auth: false,
      body: { name: "LoginBody", schema: LoginBodySchema, example: { email: "ada@example.com", password: "a long passphrase" }, limit: "single" },
      success: { status: 200, name: "SessionUser", schema: SessionUserSchema, description: "Signed in (cookies set)." },
      errors: ["UNAUTHORIZED", "RATE_LIMITED"],
    },
    async ({ req, res, body }) => {
      const decision = await limiter.check(`login:${clientAddress(req)}`, LOGIN_ATTEMPTS_PER_MINUTE, 1);
      if (!decision.allowed) {
        throw new ServingError("RATE_LIMITED", `too many sign-in attempts from this address; retry in ${Math.ceil(decision.retryAfterMs / 1000)} s`, undefined, retryAfterHeader(decision.retryAfterMs));
      }
      const user = await checkCredentials(prisma, body);
      if (!user) throw new ServingError("UNAUTHORIZED", "wrong email or password", [{ field: "password", message: "wrong email or password" }]);
      res.setHeader("set-cookie", sessionCookies(req, await createSession(prisma, user.id)));
      return { status: 200, body: user };
    },
  );

  const logout = defineRoute(
    {
      method: "POST",
      path: "/api/v1/auth/logout",
      operationId: "authLogout",
      summary: "Sign out",
      description: "Ends this session and clears its cookies.",
      tag: "auth",
      auth: "session",
      success: { status: 200, name: "LoggedOut", schema: z.object({ ok: z.literal(true) }), description: "Signed out." },
      errors: [],
    },
    async ({ res, caller }) => {
      if (caller.kind === "user") await endSession(prisma, caller.sessionId);
      res.setHeader("set-cookie", clearedCookies());
      return { status: 200, body: { ok: true } };
    },
  );

  return [state, setup, login, logout];
}
