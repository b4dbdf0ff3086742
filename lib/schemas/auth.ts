import { z } from "zod";
import { UserRoleSchema } from "./access";

export const PASSWORD_MIN = 10;

const email = z.string().trim().toLowerCase().min(3, "must be an email address").max(254, "must be at most 254 characters").email("must be an email address such as ada@example.com");
const password = z.string().min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`).max(1_000, "must be at most 1000 characters");

/** The first start: the administrator's account. */
export const SetupBodySchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  email,
  password,
});
export type SetupBody = z.infer<typeof SetupBodySchema>;

export const LoginBodySchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1, "must not be empty").max(254),
  password: z.string().min(1, "must not be empty").max(1_000),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;


export const CreateUserBodySchema = SetupBodySchema.extend({ role: UserRoleSchema.default("viewer") });
export type CreateUserBody = z.input<typeof CreateUserBodySchema>;

export const SessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: UserRoleSchema,
});
export type SessionUser = z.infer<typeof SessionUserSchema>;

export const UserViewSchema = SessionUserSchema.extend({ createdAt: z.string(), disabledAt: z.string().nullable() });
export type UserView = z.infer<typeof UserViewSchema>;

/** GET /api/v1/auth/session: who is signed in, and whether the first administrator is still to be created. */
export const AuthStateSchema = z.object({
  needsSetup: z.boolean(),
  user: SessionUserSchema.nullable(),
});
export type AuthState = z.infer<typeof AuthStateSchema>;

/** Cookie names shared by the server and the browser. */
export const SESSION_COOKIE = "dspex_session";
export const CSRF_COOKIE = "dspex_csrf";
export const CSRF_HEADER = "x-csrf-token";
