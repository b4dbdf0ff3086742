// Configuration changes between processes: two feeds stand for two processes, on PostgreSQL's
// LISTEN/NOTIFY and on Redis publish/subscribe; then two serving APIs on one database, where a
// revoke or a promotion made through one is obeyed by the other at once (its caches would
// otherwise trust the old answer for 60 s).
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { freshPostgresDatabase, TEST_POSTGRES_URL } from "../../db/testing";
import type { ConfigChange } from "../../schemas";
import { callApi, createTestServing, errorOf, startTestServer, type TestServer } from "../serving/testing";
import { useTestDatabase } from "../store/testing";
import { createChangeFeed, createChangeFeedOver, postgresTransport, redisTransport, type ChangeFeed } from ".";

const REDIS_URL = process.env.DSPEX_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const suffix = randomBytes(6).toString("hex");

/** Resolves with the first change `feed` delivers that `match` accepts. */
function nextChange(feed: ChangeFeed, match: (c: ConfigChange) => boolean): Promise<ConfigChange> {
  return new Promise((resolve) => {
    const stop = feed.subscribe((c) => {
      if (!match(c)) return;
      stop();
      resolve(c);
    });
  });
}

const open: ChangeFeed[] = [];
const redisClients: Redis[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((f) => f.close()));
});
afterAll(() => redisClients.forEach((r) => r.disconnect()));

const transports = [
  { name: "postgres", make: () => postgresTransport({ url: TEST_POSTGRES_URL, channel: `dspex_changes_test_${suffix}` }) },
  {
    name: "redis",
    make: () => {
      const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
      redisClients.push(client);
      return redisTransport(client, { channel: `dspex-test:${suffix}:changes` });
    },
  },
] as const;

describe.each(transports)("change feed over $name", ({ make }) => {
  it("delivers a change to the other process, and to the publishing one exactly once and before publish returns", async () => {
    const a = await createChangeFeedOver(make());
    const b = await createChangeFeedOver(make());
    open.push(a, b);
    const seenByA: ConfigChange[] = [];
    a.subscribe((c) => seenByA.push(c));
    const atB = nextChange(b, (c) => c.id === "v-1");

    a.publish({ kind: "promotion", id: "v-1", program: "qa" });
    expect(seenByA.map((c) => [c.kind, c.id, c.program])).toEqual([["promotion", "v-1", "qa"]]);
    expect(await atB).toMatchObject({ kind: "promotion", id: "v-1", program: "qa" });

    // A message B sends after that reaches A after A's own would have come back: A still saw its own once.
    const backAtA = nextChange(a, (c) => c.id === "b-1");
    b.publish({ kind: "budget", id: "b-1" });
    await backAtA;
    expect(seenByA.filter((c) => c.id === "v-1")).toHaveLength(1);
  });

  it("refuses a change that is not one (unknown kind) at the publisher, and ignores malformed messages from the wire", async () => {
    const errors: string[] = [];
    const transport = make();
    const a = await createChangeFeedOver(transport, { onError: (_err, context) => errors.push(context) });
    open.push(a);
    expect(() => a.publish({ kind: "colour" as never, id: "x" })).toThrow(/kind/);
    const ok = nextChange(a, (c) => c.id === "after");
    await transport.send("{not json");
    await transport.send(JSON.stringify({ origin: "elsewhere", change: { kind: "user", id: "after", at: new Date().toISOString() } }));
    await ok;
    expect(errors).toEqual(["receive"]);
  });
});

describe("two serving APIs on one PostgreSQL database, each with its own change feed", () => {
  const t = useTestDatabase(() => freshPostgresDatabase());
  const servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it("a key revoked and a version promoted through one are obeyed by the other on its next request", async () => {
    // The test database's URL (trust authentication: no password to leave out).
    const feedA = await createChangeFeed({ postgresUrl: t.db.location });
    const feedB = await createChangeFeed({ postgresUrl: t.db.location });
    open.push(feedA, feedB);
    const a = await createTestServing({ prisma: t.prisma, changes: feedA });
    const b = await createTestServing({ prisma: t.prisma, changes: feedB });
    const [serverA, serverB] = await Promise.all([startTestServer(a.api), startTestServer(b.api)]);
    servers.push(serverA, serverB);

    const created = await a.deps.store.createApiKey({ name: "shared" });
    const predict = (server: TestServer, body: unknown = { input: { context: "DSPEx is a platform.", question: "What is DSPEx?" } }) =>
      callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key: created.key, body });
    expect((await predict(serverB)).status).toBe(200); // B now trusts the key (for up to 60 s)

    const revokedAtB = nextChange(feedB, (c) => c.kind === "key" && c.id === created.apiKey.id);
    await a.deps.store.revokeApiKey(created.apiKey.id);
    await revokedAtB;
    expect(errorOf(await predict(serverB), 401, "UNAUTHORIZED").message).toMatch(/revoked/);

    const key = (await a.deps.store.createApiKey({ name: "second" })).key;
    const version = async (server: TestServer) => (JSON.parse((await callApi(server.url, "POST", "/api/v1/programs/qa/predict", { key, body: { input: { context: "DSPEx.", question: "What?" } } })).text) as { version: { number: number } }).version.number;
    const before = await version(serverB); // B now trusts the active version (for up to 60 s)
    const v2 = await a.deps.store.createProgramVersion(a.registry.get("qa")!.space, { programName: "qa", config: { temperature: 0.3 }, authorKind: "user", message: "warmer" });
    const promotedAtB = nextChange(feedB, (c) => c.kind === "promotion" && c.id === v2.id);
    await a.deps.store.promoteVersion(v2.id);
    expect((await promotedAtB).program).toBe("qa");
    expect(await version(serverB)).toBe(v2.number);
    expect(v2.number).toBeGreaterThan(before);
  });
});
