// Settings: API keys (/api/v1/api-keys), users (/api/v1/users), and through their own files
// providers and prices. Members see and manage their own API keys; administrators everyone's.
import type { PrismaClient } from "../../db";
import type { PriceTable } from "../../dspex";
import {
  ApiKeyListQuerySchema,
  ApiKeyPageSchema,
  ApiKeyViewSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  CreateUserBodySchema,
  SettingsIdParamsSchema,
  UserListSchema,
  UserViewSchema,
  type ApiKeyListQuery,
  type CreateApiKeyBody,
  type CreateUserBody,
} from "../../schemas";
import { createUser, listUsers, setUserDisabled } from "../auth";
import type { SecretBox } from "../secrets";
import { ConflictError, createApiKey, listApiKeys, revokeApiKey } from "../store";
import { ServingError } from "./errors";
import { defineRoute, type Caller, type Route, type Wire } from "./router";
import { priceRoutes } from "./settings-prices";
import { providerRoutes } from "./settings-providers";

export interface SettingsRouteDeps {
  readonly prisma: PrismaClient;
  /** Drops a revoked key from the serving API's key cache at once. */
  readonly forgetApiKey: (keyId: string) => void;
  readonly secrets?: SecretBox;
  readonly prices?: PriceTable;
  /** Reloads the running server's price overrides after a change. */
  readonly onPricesChanged?: () => Promise<void>;
}

const isAdmin = (caller: Caller) => caller.kind === "user" && caller.user.role === "admin";
const userIdOf = (caller: Caller) => (caller.kind === "user" ? caller.user.id : caller.key.userId);

function forbidden(message: string, field?: string): ServingError {
  return new ServingError("FORBIDDEN", message, field ? [{ field, message }] : undefined);
}

export function apiKeyRoutes(deps: Pick<SettingsRouteDeps, "prisma" | "forgetApiKey">): Route[] {
  const { prisma } = deps;

  const list = defineRoute<ApiKeyListQuery, undefined>(
    {
      method: "GET",
      path: "/api/v1/api-keys",
      operationId: "listApiKeys",
      summary: "List API keys, newest first",
      description: "Never the key or its hash. Members see their own keys; administrators every key (or one user's with userId). includeRevoked=true lists revoked keys too.",
      tag: "settings",
      auth: "session",
      query: ApiKeyListQuerySchema,
      success: { status: 200, name: "ApiKeyPage", schema: ApiKeyPageSchema, description: "One page of keys." },
      errors: ["FORBIDDEN"],
    },
    async ({ query, caller }) => {
      const self = userIdOf(caller);
      if (!isAdmin(caller) && query.userId !== undefined && query.userId !== self) throw forbidden("only administrators may list other users' keys", "userId");
      const body: Wire<typeof ApiKeyPageSchema> = await listApiKeys(prisma, isAdmin(caller) ? query : { ...query, userId: self ?? "" });
      return { status: 200, body };
    },
  );

  const create = defineRoute<undefined, CreateApiKeyBody>(
    {
      method: "POST",
      path: "/api/v1/api-keys",
      operationId: "createApiKey",
      summary: "Create an API key",
      description: "Answers the full key once; it is stored hashed and can never be read again. Administrators may create a key for another user (userId).",
      tag: "settings",
      auth: "session",
      body: { name: "CreateApiKeyBody", schema: CreateApiKeyBodySchema, example: { name: "production service", rateLimitPerMinute: 600 }, limit: "single" },
      success: { status: 201, name: "CreatedApiKey", schema: CreatedApiKeySchema, description: "The key (shown once) and its stored view." },
      errors: ["FORBIDDEN", "NOT_FOUND"],
    },
    async ({ body, caller }) => {
      const self = userIdOf(caller);
      if (body.userId !== undefined && body.userId !== self && !isAdmin(caller)) throw forbidden("only administrators may create keys for other users", "userId");
      const created: Wire<typeof CreatedApiKeySchema> = await createApiKey(prisma, {
        name: body.name,
        rateLimitPerMinute: body.rateLimitPerMinute ?? null,
        userId: body.userId ?? self,
      });
      return { status: 201, body: created };
    },
  );

  const revoke = defineRoute(
    {
      method: "POST",
      path: "/api/v1/api-keys/{id}/revoke",
      operationId: "revokeApiKey",
      summary: "Revoke an API key",
      description: "At once: requests with the key are refused from now on. Revoking a revoked key changes nothing. Members may revoke their own keys only.",
      tag: "settings",
      auth: "session",
      params: SettingsIdParamsSchema,
      success: { status: 200, name: "ApiKeyView", schema: ApiKeyViewSchema, description: "The key, revoked." },
      errors: ["FORBIDDEN", "NOT_FOUND"],
    },
    async ({ params, caller }) => {
      const id = params.id!;
      if (!isAdmin(caller)) {
        const row = await prisma.apiKey.findUnique({ where: { id }, select: { userId: true } });
        if (row && row.userId !== userIdOf(caller)) throw forbidden("only administrators may revoke other users' keys", "id");
      }
      const body: Wire<typeof ApiKeyViewSchema> = await revokeApiKey(prisma, id);
      deps.forgetApiKey(id);
      return { status: 200, body };
    },
  );

  return [list, create, revoke];
}

export function userRoutes(prisma: PrismaClient): Route[] {
  const list = defineRoute(
    {
      method: "GET",
      path: "/api/v1/users",
      operationId: "listUsers",
      summary: "List dashboard users",
      tag: "settings",
      auth: "admin",
      success: { status: 200, name: "UserList", schema: UserListSchema, description: "Every account, oldest first (never a password hash)." },
      errors: [],
    },
    async () => ({ status: 200, body: { items: await listUsers(prisma) } }),
  );

  const create = defineRoute<undefined, CreateUserBody>(
    {
      method: "POST",
      path: "/api/v1/users",
      operationId: "createUser",
      summary: "Add a user",
      description: "Name, email, password (at least 10 characters) and role (member by default).",
      tag: "settings",
      auth: "admin",
      body: { name: "CreateUserBody", schema: CreateUserBodySchema, example: { name: "Grace Hopper", email: "grace@example.com", password: "a long passphrase", role: "member" }, limit: "single" },
      success: { status: 201, name: "UserView", schema: UserViewSchema, description: "The new account." },
      errors: ["CONFLICT"],
    },
    async ({ body }) => ({ status: 201, body: await createUser(prisma, body) }),
  );

  const toggle = (disabled: boolean) =>
    defineRoute(
      {
        method: "POST",
        path: `/api/v1/users/{id}/${disabled ? "disable" : "enable"}`,
        operationId: disabled ? "disableUser" : "enableUser",
        summary: disabled ? "Disable a user" : "Enable a user",
        description: disabled ? "The account cannot sign in, and its sessions end at once. Not your own account, nor the last active administrator." : "The account can sign in again.",
        tag: "settings",
        auth: "admin",
        params: SettingsIdParamsSchema,
        success: { status: 200, name: "UserView", schema: UserViewSchema, description: "The account after the change." },
        errors: ["NOT_FOUND", "CONFLICT"],
      },
      async ({ params, caller }) => {
        if (disabled && caller.kind === "user" && caller.user.id === params.id) throw new ConflictError("you cannot disable your own account", "id");
        return { status: 200, body: await setUserDisabled(prisma, params.id!, disabled) };
      },
    );

  return [list, create, toggle(true), toggle(false)];
}

/** Every settings route: API keys, users, providers, prices. */
export function settingsRoutes(deps: SettingsRouteDeps): Route[] {
  return [...apiKeyRoutes(deps), ...userRoutes(deps.prisma), ...providerRoutes(deps.prisma, deps.secrets), ...priceRoutes(deps.prisma, deps.prices, deps.onPricesChanged)];
}
