// Least privilege, shared by the server (which refuses) and the dashboard (which hides what a role
// cannot do). People have a role; API keys carry scopes (and optionally a list of programs).
import { z } from "zod";

export const USER_ROLES = ["admin", "maintainer", "viewer"] as const;
export const UserRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRoleSchema>;

/**
 * predict: run programs (costs money per call); read: runs, traces, programs, datasets, costs;
 * optimize: launch, stop and resume optimizations and agent jobs (spend money in the background);
 * manage: change programs (versions, promote, roll back), datasets, budgets and keys.
 */
export const API_SCOPES = ["predict", "read", "optimize", "manage"] as const;
export const ApiScopeSchema = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScopeSchema>;

/** A new key can only predict unless it is given more. */
export const DEFAULT_KEY_SCOPES: readonly ApiScope[] = ["predict"];

/** What each role may do, in the scopes' terms (administrators also manage users, providers and prices). */
export const ROLE_SCOPES: Readonly<Record<UserRole, readonly ApiScope[]>> = {
  admin: API_SCOPES,
  maintainer: API_SCOPES,
  viewer: ["read"],
};

export function roleAllows(role: UserRole, scope: ApiScope): boolean {
  return ROLE_SCOPES[role].includes(scope);
}

export const ROLE_LABELS: Readonly<Record<UserRole, string>> = { admin: "Administrator", maintainer: "Maintainer", viewer: "Viewer" };
