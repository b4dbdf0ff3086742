import { z } from "zod";
import { AuthStateSchema, LoginBodySchema, SessionUserSchema, SetupBodySchema } from "../../schemas";
import { route } from "./define";

/** Sign-in attempts allowed per minute per client address. */
export const LOGIN_ATTEMPTS_PER_MINUTE = 10;

export const authRoutes = {
  authSession: route({
    method: "GET",
    path: "/api/v1/auth/session",
    operationId: "authSession",
    summary: "Who is signed in",
    description: "The signed-in user (null when none), and whether the first administrator is still to be created.",
    tag: "auth",
    auth: false,
    success: { status: 200, name: "AuthState", schema: AuthStateSchema, description: "The session state." },
    errors: [],
  }),
  authSetup: route({
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
  }),
  authLogin: route({
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
  }),
  authLogout: route({
    method: "POST",
    path: "/api/v1/auth/logout",
    operationId: "authLogout",
    summary: "Sign out",
    description: "Ends this session and clears its cookies.",
    tag: "auth",
    auth: "session",
    success: { status: 200, name: "LoggedOut", schema: z.object({ ok: z.literal(true) }), description: "Signed out." },
    errors: [],
  }),
};
