// Settings: API keys (/api/v1/api-keys), users (/api/v1/users), and through their own files
// providers and prices. Members see and manage their own API keys; administrators everyone's.
import type { PriceTable } from "../../dspex";
import { type ApiKeyPageSchema, type ApiKeyViewSchema, type CreatedApiKeySchema, type Wire } from "../../schemas";
import type { SecretBox } from "../secrets";
import { ConflictError, type Store } from "../store";
import { ServingError } from "./errors";
import { routes } from "../../api/routes";
import { implement, type Caller, type Route } from "./router";
import { priceRoutes } from "./settings-prices";
import { providerRoutes } from "./settings-providers";
import type { ProviderConnection } from "../providers";

export interface SettingsRouteDeps {
  readonly store: Store;
  /** Drops a revoked key from the serving API's key cache at once. */
  readonly forgetApiKey: (keyId: string) => void;
  readonly secrets?: SecretBox;
  readonly prices?: PriceTable;
  /** Reloads the running server's price overrides after a change. */
  readonly onPricesChanged?: () => Promise<void>;
  /** The environment's provider, listed read-only beside the stored ones. */
  readonly bootstrapProvider?: () => ProviderConnection | undefined;
  /** Makes the running server use the providers as stored now. */
  readonly onProvidersChanged?: () => Promise<void>;
  /** A disabled account's live sockets are dropped through this. */
  readonly onSessionsEnded?: (who: { readonly userId: string }) => void;
}

const isAdmin = (caller: Caller) => caller.kind === "user" && caller.user.role === "admin";
const userIdOf = (caller: Caller) => (caller.kind === "user" ? caller.user.id : caller.key.userId);

function forbidden(message: string, field?: string): ServingError {
  return new ServingError("FORBIDDEN", message, field ? [{ field, message }] : undefined);
}

export function apiKeyRoutes(deps: Pick<SettingsRouteDeps, "store" | "forgetApiKey">): Route[] {
  const { store } = deps;

  const list = implement(routes.listApiKeys, async ({ query, caller }) => {
    const self = userIdOf(caller);
    if (!isAdmin(caller) && query.userId !== undefined && query.userId !== self) throw forbidden("only administrators may list other users' keys", "userId");
    const body: Wire<typeof ApiKeyPageSchema> = await store.listApiKeys(isAdmin(caller) ? query : { ...query, userId: self ?? "" });
    return { status: 200, body };
  });

  const create = implement(routes.createApiKey, async ({ body, caller }) => {
    const self = userIdOf(caller);
    if (body.userId !== undefined && body.userId !== self && !isAdmin(caller)) throw forbidden("only administrators may create keys for other users", "userId");
    const created: Wire<typeof CreatedApiKeySchema> = await store.createApiKey({
      name: body.name,
      rateLimitPerMinute: body.rateLimitPerMinute ?? null,
      userId: body.userId ?? self,
      ...(body.scopes && { scopes: body.scopes }),
      ...(body.programs && { programs: body.programs }),
    });
    return { status: 201, body: created };
  });

  const revoke = implement(routes.revokeApiKey, async ({ params, caller }) => {
    const id = params.id;
    if (!isAdmin(caller)) {
      const owner = await store.apiKeyOwner(id);
      if (owner !== undefined && owner !== userIdOf(caller)) throw forbidden("only administrators may revoke other users' keys", "id");
    }
    const body: Wire<typeof ApiKeyViewSchema> = await store.revokeApiKey(id);
    deps.forgetApiKey(id);
    return { status: 200, body };
  });

  return [list, create, revoke];
}

export function userRoutes(store: Pick<Store, "listUsers" | "createUser" | "setUserDisabled">, onSessionsEnded?: (who: { readonly userId: string }) => void): Route[] {
  const list = implement(routes.listUsers, async () => ({ status: 200, body: { items: await store.listUsers() } }));

  const create = implement(routes.createUser, async ({ body }) => ({ status: 201, body: await store.createUser(body) }));

  const toggle = (disabled: boolean) =>
    implement(disabled ? routes.disableUser : routes.enableUser, async ({ params, caller }) => {
      if (disabled && caller.kind === "user" && caller.user.id === params.id) throw new ConflictError("you cannot disable your own account", "id");
      const user = await store.setUserDisabled(params.id, disabled);
      if (disabled) onSessionsEnded?.({ userId: user.id });
      return { status: 200, body: user };
    });

  return [list, create, toggle(true), toggle(false)];
}

/** Every settings route: API keys, users, providers, prices. */
export function settingsRoutes(deps: SettingsRouteDeps): Route[] {
  return [...apiKeyRoutes(deps), ...userRoutes(deps.store, deps.onSessionsEnded), ...providerRoutes({
      store: deps.store,
      ...(deps.secrets && { secrets: deps.secrets }),
      ...(deps.bootstrapProvider && { bootstrap: deps.bootstrapProvider }),
      ...(deps.onProvidersChanged && { onProvidersChanged: deps.onProvidersChanged }),
    }), ...priceRoutes(deps.store, deps.prices, deps.onPricesChanged)];
}
