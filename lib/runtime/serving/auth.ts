// API keys from `Authorization: Bearer <key>`. A verified key is trusted for a short time
// (authCacheTtlMs) so the hot path does not ask the database on every request; failures are
// never cached. Messages say what is wrong with the key, never the key.
import type { ApiKeyUsageRecorder, Store, VerifiedApiKey } from "../store";
import { ServingError } from "./errors";

const CHALLENGE = { "www-authenticate": 'Bearer realm="dspex"' };
const INVALID = { "www-authenticate": 'Bearer realm="dspex", error="invalid_token"' };

const REASONS = {
  malformed: "the API key is malformed: keys look like dspx_live_<8 letters or digits>_<32 letters or digits>; copy the whole key",
  unknown: "the API key is not recognised: no such key exists (check that it was copied whole, or create a new key)",
  revoked: "the API key was revoked; create a new key and use that one",
  "owner-disabled": "the account that owns this API key is disabled; ask an administrator",
} as const;

export interface Authenticator {
  /** The key presented in an Authorization header, or UNAUTHORIZED saying why not. */
  authenticate(header: string | undefined): Promise<VerifiedApiKey>;
  /** Stops trusting a key at once (after a revoke in this process). */
  forget(keyId: string): void;
}

interface Entry {
  readonly key: VerifiedApiKey;
  readonly expires: number;
}

export function createAuthenticator(store: Pick<Store, "verifyApiKey">, options: { ttlMs: number; size: number; now: () => number; usage?: ApiKeyUsageRecorder }): Authenticator {
  const cache = new Map<string, Entry>();
  const { ttlMs, size, now, usage } = options;

  const tokenOf = (header: string | undefined): string => {
    if (header === undefined || header.trim() === "") {
      throw new ServingError("UNAUTHORIZED", 'missing API key: send the header "Authorization: Bearer <API key>"', undefined, CHALLENGE);
    }
    const space = header.indexOf(" ");
    const scheme = space < 0 ? header : header.slice(0, space);
    if (scheme.toLowerCase() !== "bearer") {
      const bare = header.trimStart().startsWith("dspx_");
      throw new ServingError(
        "UNAUTHORIZED",
        bare ? 'the Authorization header holds a bare key; put "Bearer " before it ("Authorization: Bearer <API key>")' : 'the Authorization header must use the Bearer scheme: "Authorization: Bearer <API key>"',
        undefined,
        CHALLENGE,
      );
    }
    const token = space < 0 ? "" : header.slice(space + 1).trim();
    if (token === "") throw new ServingError("UNAUTHORIZED", 'missing API key after "Bearer"; send "Authorization: Bearer <API key>"', undefined, CHALLENGE);
    return token;
  };

  return {
    async authenticate(header) {
      const token = tokenOf(header);
      if (ttlMs > 0) {
        const hit = cache.get(token);
        if (hit !== undefined && hit.expires > now()) {
          usage?.record(hit.key.id);
          return hit.key;
        }
      }
      const verified = await store.verifyApiKey(token, usage);
      if (!verified.ok) throw new ServingError("UNAUTHORIZED", REASONS[verified.reason], undefined, INVALID);
      if (ttlMs > 0) {
        cache.delete(token);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(token, { key: verified.key, expires: now() + ttlMs });
      }
      return verified.key;
    },
    forget(keyId) {
      for (const [token, entry] of cache) if (entry.key.id === keyId) cache.delete(token);
    },
  };
}
