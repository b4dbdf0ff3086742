import { describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { API_KEY_PREFIX, createApiKey, createApiKeyUsageRecorder, hashApiKey, listApiKeys, revokeApiKey, verifyApiKey } from "./index";
import { useTestDatabase } from "./testing";

describe.each(BACKENDS)("API keys on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);

  it("returns the key once and stores only its prefix and SHA-256 hash", async () => {
    const { key, apiKey } = await createApiKey(t.prisma, { name: "ci", rateLimitPerMinute: 120 });
    expect(key).toMatch(/^dspx_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
    expect(apiKey.prefix).toBe(key.slice(0, API_KEY_PREFIX.length + 8));
    expect(apiKey).toMatchObject({ name: "ci", rateLimitPerMinute: 120, revokedAt: null, lastUsedAt: null });
    expect(JSON.stringify(apiKey)).not.toContain(key.slice(-32));

    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.keyHash).toBe(hashApiKey(key));
    expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);
    // Nothing in the row holds the secret part of the key.
    expect(JSON.stringify(row)).not.toContain(key.slice(-32));

    const other = await createApiKey(t.prisma, { name: "ci" });
    expect(other.key).not.toBe(key);
    expect(other.apiKey.prefix).not.toBe(apiKey.prefix);
  });

  it("bounds a key by its owner's role as it is now: a demoted owner's key loses what the role no longer allows, a disabled owner's key is refused", async () => {
    const user = await t.prisma.user.create({ data: { email: "m@example.com", name: "M", passwordHash: "x", role: "maintainer" } });
    const { key } = await createApiKey(t.prisma, { name: "wide", userId: user.id, scopes: ["predict", "read", "optimize", "manage"] });
    expect(await verifyApiKey(t.prisma, key)).toMatchObject({ ok: true, key: { scopes: ["predict", "read", "optimize", "manage"] } });
    await t.prisma.user.update({ where: { id: user.id }, data: { role: "viewer" } });
    expect(await verifyApiKey(t.prisma, key)).toMatchObject({ ok: true, key: { scopes: ["read"] } });
    await t.prisma.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await verifyApiKey(t.prisma, key)).toEqual({ ok: false, reason: "owner-disabled" });
  });

  it("verifies the right key, and rejects malformed, unknown, tampered and revoked keys", async () => {
    const { key, apiKey } = await createApiKey(t.prisma, { name: "svc" });
    expect(await verifyApiKey(t.prisma, key)).toEqual({ ok: true, key: { id: apiKey.id, name: "svc", prefix: apiKey.prefix, userId: null, rateLimitPerMinute: null, scopes: ["predict"], programs: [] } });
    expect(await verifyApiKey(t.prisma, "Bearer nonsense")).toEqual({ ok: false, reason: "malformed" });
    const tampered = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    expect(await verifyApiKey(t.prisma, tampered)).toEqual({ ok: false, reason: "unknown" });
    expect(await verifyApiKey(t.prisma, `${API_KEY_PREFIX}zzzzzzzz_${"a".repeat(32)}`)).toEqual({ ok: false, reason: "unknown" });

    const revoked = await revokeApiKey(t.prisma, apiKey.id, new Date("2026-01-02T03:04:05Z"));
    expect(revoked.revokedAt).toBe("2026-01-02T03:04:05.000Z");
    expect(await verifyApiKey(t.prisma, key)).toEqual({ ok: false, reason: "revoked" });
    // Revoking again keeps the first time.
    expect((await revokeApiKey(t.prisma, apiKey.id)).revokedAt).toBe("2026-01-02T03:04:05.000Z");
    await expect(revokeApiKey(t.prisma, "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists keys without the key, hiding revoked ones unless asked", async () => {
    const before = await listApiKeys(t.prisma, { includeRevoked: true, limit: 100 });
    const { apiKey } = await createApiKey(t.prisma, { name: "listed" });
    await revokeApiKey(t.prisma, apiKey.id);
    const active = await listApiKeys(t.prisma, { limit: 100 });
    expect(active.items.some((k) => k.id === apiKey.id)).toBe(false);
    const all = await listApiKeys(t.prisma, { includeRevoked: "true" as never, limit: 100 });
    expect(all.total).toBe(before.total + 1);
    expect(all.items[0]!.id).toBe(apiKey.id);
    for (const item of all.items) expect(Object.keys(item).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "programs", "rateLimitPerMinute", "revokedAt", "scopes", "userId"]);
    await expect(createApiKey(t.prisma, { name: " " })).rejects.toMatchObject({ code: "INVALID", issues: [{ field: "name" }] });
    await expect(createApiKey(t.prisma, { name: "x", userId: "nobody" })).rejects.toMatchObject({ code: "NOT_FOUND", issues: [{ field: "userId" }] });
  });

  it("coalesces lastUsedAt: many verifications, one write per key per flush", async () => {
    const a = await createApiKey(t.prisma, { name: "busy" });
    const b = await createApiKey(t.prisma, { name: "quiet" });
    let clock = new Date("2026-03-01T10:00:00Z").getTime();
    const recorder = createApiKeyUsageRecorder(t.prisma, { flushEveryMs: 0, now: () => new Date(clock) });
    for (let i = 0; i < 50; i++) {
      clock += 1000;
      expect((await verifyApiKey(t.prisma, a.key, recorder)).ok).toBe(true);
    }
    await verifyApiKey(t.prisma, b.key, recorder);
    // Verifying writes nothing: the uses wait in memory for the flush.
    expect((await t.prisma.apiKey.findUniqueOrThrow({ where: { id: a.apiKey.id } })).lastUsedAt).toBeNull();
    await recorder.flush();
    expect((await t.prisma.apiKey.findUniqueOrThrow({ where: { id: a.apiKey.id } })).lastUsedAt?.toISOString()).toBe("2026-03-01T10:00:50.000Z");
    expect((await t.prisma.apiKey.findUniqueOrThrow({ where: { id: b.apiKey.id } })).lastUsedAt?.toISOString()).toBe("2026-03-01T10:00:50.000Z");
    // An older time never overwrites a newer one.
    clock = new Date("2026-02-01T00:00:00Z").getTime();
    recorder.record(a.apiKey.id);
    await recorder.stop();
    expect((await t.prisma.apiKey.findUniqueOrThrow({ where: { id: a.apiKey.id } })).lastUsedAt?.toISOString()).toBe("2026-03-01T10:00:50.000Z");
  });
});
