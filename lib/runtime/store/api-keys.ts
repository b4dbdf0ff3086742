// API keys for the serving API. A key is `dspx_live_<8 chars>_<32 chars>`: the first part (the
// prefix, shown in lists) finds the row, the SHA-256 of the whole key proves it. Keys are random
// with ~190 bits of secret, so a fast hash is right here (unlike passwords); the key itself is
// returned once, at creation, and never stored.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Prisma, PrismaClient } from "../../db";
import { API_SCOPES, ROLE_SCOPES, type ApiScope } from "../../schemas/access";
import { ApiKeyListQuerySchema, CreateApiKeySchema, type ApiKeyListQuery, type CreateApiKeyInput } from "../../schemas/api-keys";
import type { Page } from "../../schemas/pagination";
import { NotFoundError } from "./errors";
import { readPage } from "./paging";
import { parseInput } from "./parse-input";
import { isUniqueViolation } from "./prisma-errors";

export const API_KEY_PREFIX = "dspx_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const ID_CHARS = 8;
const SECRET_CHARS = 32;
const KEY_PATTERN = new RegExp(`^(${API_KEY_PREFIX}[0-9A-Za-z]{${ID_CHARS}})_[0-9A-Za-z]{${SECRET_CHARS}}$`);

export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The visible start of the key, e.g. dspx_live_AbC123xY. */
  readonly prefix: string;
  readonly userId: string | null;
  readonly rateLimitPerMinute: number | null;
  readonly scopes: readonly ApiScope[];
  /** The programs the key may use (empty: every program). */
  readonly programs: readonly string[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

export interface CreatedApiKey {
  /** The full key: shown to the person once, never readable again. */
  readonly key: string;
  readonly apiKey: ApiKeyView;
}

/** Who a verified key belongs to, for the request that presented it. */
export interface VerifiedApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly userId: string | null;
  readonly rateLimitPerMinute: number | null;
  readonly scopes: readonly ApiScope[];
  readonly programs: readonly string[];
}

export type ApiKeyVerification =
  | { readonly ok: true; readonly key: VerifiedApiKey }
  | { readonly ok: false; readonly reason: "malformed" | "unknown" | "revoked" | "owner-disabled" };

/** Scopes as stored, minus any this version does not know (a key never gains rights by a typo). */
function knownScopes(stored: readonly string[]): ApiScope[] {
  return stored.filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
}

const viewSelect = {
  id: true,
  name: true,
  prefix: true,
  userId: true,
  rateLimitPerMinute: true,
  scopes: true,
  programs: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.ApiKeySelect;

type ViewRow = Prisma.ApiKeyGetPayload<{ select: typeof viewSelect }>;

function toView(row: ViewRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.userId,
    rateLimitPerMinute: row.rateLimitPerMinute,
    scopes: knownScopes(row.scopes),
    programs: row.programs,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

/** Uniform random characters from the base-62 alphabet (rejection sampling: no modulo bias). */
function randomText(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62];
    }
  }
  return out;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Creates a key and returns it once with its stored view. Errors: INVALID, NOT_FOUND (userId). */
export async function createApiKey(prisma: PrismaClient, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const q = parseInput(CreateApiKeySchema, input, "API key");
  if (q.userId && !(await prisma.user.findUnique({ where: { id: q.userId }, select: { id: true } }))) throw new NotFoundError("user", q.userId, "userId");
  for (let attempt = 0; ; attempt++) {
    const prefix = `${API_KEY_PREFIX}${randomText(ID_CHARS)}`;
    const key = `${prefix}_${randomText(SECRET_CHARS)}`;
    try {
      const row = await prisma.apiKey.create({
        data: { name: q.name, prefix, keyHash: hashApiKey(key), userId: q.userId ?? null, rateLimitPerMinute: q.rateLimitPerMinute ?? null, scopes: [...new Set(q.scopes)], programs: [...new Set(q.programs)] },
        select: viewSelect,
      });
      return { key, apiKey: toView(row) };
    } catch (err) {
      // A prefix collision (about 1 in 10^14 per pair): draw another key.
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}

const DUMMY_HASH = Buffer.from(hashApiKey("dspx_live_00000000_00000000000000000000000000000000"), "hex");

/**
 * Checks a presented key: the row is found by its prefix and the hashes compared in constant
 * time. Failures are data (`reason`), for a 401 body. Successful checks are passed to `usage`
 * (see createApiKeyUsageRecorder) so `lastUsedAt` is kept without a write per request.
 */
export async function verifyApiKey(prisma: PrismaClient, presented: string, usage?: ApiKeyUsageRecorder): Promise<ApiKeyVerification> {
  const match = KEY_PATTERN.exec(presented.trim());
  if (!match) return { ok: false, reason: "malformed" };
  const row = await prisma.apiKey.findUnique({
    where: { prefix: match[1]! },
    select: { id: true, name: true, prefix: true, keyHash: true, userId: true, rateLimitPerMinute: true, scopes: true, programs: true, revokedAt: true, user: { select: { role: true, disabledAt: true } } },
  });
  const given = Buffer.from(hashApiKey(presented.trim()), "hex");
  const stored = row ? Buffer.from(row.keyHash, "hex") : DUMMY_HASH;
  const same = stored.length === given.length && timingSafeEqual(stored, given);
  if (!row || !same) return { ok: false, reason: "unknown" };
  if (row.revokedAt) return { ok: false, reason: "revoked" };
  if (row.user?.disabledAt) return { ok: false, reason: "owner-disabled" };
  usage?.record(row.id);
  // A key never does more than its owner's role allows now (a demoted owner's key loses the rest).
  const allowed = row.user ? ROLE_SCOPES[row.user.role] : API_SCOPES;
  const scopes = knownScopes(row.scopes).filter((scope) => allowed.includes(scope));
  return { ok: true, key: { id: row.id, name: row.name, prefix: row.prefix, userId: row.userId, rateLimitPerMinute: row.rateLimitPerMinute, scopes, programs: row.programs } };
}

/** Revokes a key (idempotent: a revoked key keeps its first revocation time). Errors: NOT_FOUND. */
export async function revokeApiKey(prisma: PrismaClient, id: string, now: Date = new Date()): Promise<ApiKeyView> {
  await prisma.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
  const row = await prisma.apiKey.findUnique({ where: { id }, select: viewSelect });
  if (!row) throw new NotFoundError("API key", id, "id");
  return toView(row);
}

/** Deletes a key (its runs keep no reference to it); for keys made for one command and gone after it. */
export async function deleteApiKey(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.apiKey.deleteMany({ where: { id } });
}

/** Keys, newest first; never the key or its hash. */
export async function listApiKeys(prisma: PrismaClient, query: ApiKeyListQuery = {}): Promise<Page<ApiKeyView>> {
  const q = parseInput(ApiKeyListQuerySchema, query, "API key list");
  const where: Prisma.ApiKeyWhereInput = { ...(q.includeRevoked ? {} : { revokedAt: null }), ...(q.userId ? { userId: q.userId } : {}) };
  return readPage(
    prisma,
    q,
    (w) => prisma.apiKey.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "asc" }], select: viewSelect, ...w }),
    () => prisma.apiKey.count({ where }),
    toView,
  );
}

export interface ApiKeyUsageRecorder {
  /** Notes that a key was used now (no database write). */
  record(keyId: string): void;
  /** Writes the noted times: one UPDATE per distinct key since the last flush. */
  flush(): Promise<void>;
  /** Flushes and stops the timer. */
  stop(): Promise<void>;
}

export interface ApiKeyUsageOptions {
  /** How often noted uses are written (default 30 s; 0 disables the timer: call flush yourself). */
  readonly flushEveryMs?: number;
  readonly now?: () => Date;
  readonly onError?: (err: unknown) => void;
}

/**
 * Coalesces `lastUsedAt`: uses are noted in memory and written per key at most once per interval,
 * so a busy key costs one UPDATE every 30 seconds, not one per request.
 */
export function createApiKeyUsageRecorder(prisma: PrismaClient, options: ApiKeyUsageOptions = {}): ApiKeyUsageRecorder {
  const now = options.now ?? (() => new Date());
  let pending = new Map<string, Date>();
  let flushing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    flushing = flushing.then(async () => {
      if (pending.size === 0) return;
      const batch = pending;
      pending = new Map();
      try {
        await prisma.$transaction([...batch].map(([id, at]) => prisma.apiKey.updateMany({ where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: at } }] }, data: { lastUsedAt: at } })));
      } catch (err) {
        for (const [id, at] of batch) if (!pending.has(id)) pending.set(id, at);
        options.onError?.(err);
      }
    });
    return flushing;
  };
  const every = options.flushEveryMs ?? 30_000;
  const timer = every > 0 ? setInterval(() => void flush(), every) : undefined;
  timer?.unref();
  return {
    record(keyId) {
      pending.set(keyId, now());
    },
    flush,
    async stop() {
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}

/** The user a key belongs to: their id, null for a key of no one, undefined when there is no such key. */
export async function apiKeyOwner(prisma: PrismaClient, id: string): Promise<string | null | undefined> {
  const row = await prisma.apiKey.findUnique({ where: { id }, select: { userId: true } });
  return row === null ? undefined : row.userId;
}
