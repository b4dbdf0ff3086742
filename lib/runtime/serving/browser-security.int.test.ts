// The browser-facing edge of the API: sign-in refuses other sites (login CSRF), and signing out
// or disabling an account tells the realtime server to drop the sockets it opened.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from "../../schemas";
import { pagePolicy } from "../auth";
import { createSession, createUser } from "../store";
import { useTestDatabase } from "../store/testing";
import { callApi, createTestServing, errorOf, startTestServer, type TestServer } from "./testing";

const [pglite] = BACKENDS;

describe("browser security of the API", () => {
  const t = useTestDatabase(pglite!.fresh);
  let server: TestServer;
  const ended: unknown[] = [];
  const sessions: Record<"admin" | "other", { token: string; csrf: string; sessionId: string; userId: string }> = {} as never;
  const headers = (who: "admin" | "other", origin?: string) => {
    const s = sessions[who];
    return { cookie: `${SESSION_COOKIE}=${encodeURIComponent(s.token)}; ${CSRF_COOKIE}=${s.csrf}`, [CSRF_HEADER]: s.csrf, ...(origin && { origin }) };
  };

  beforeAll(async () => {
    const s = await createTestServing({ prisma: t.prisma, onSessionsEnded: (who) => ended.push(who) });
    server = await startTestServer(s.api);
    for (const [who, role] of [["admin", "admin"], ["other", "admin"]] as const) {
      const user = await createUser(t.prisma, { name: who, email: `${who}@example.com`, password: "a long enough password", role });
      const created = await createSession(t.prisma, user.id);
      const row = await t.prisma.session.findFirstOrThrow({ where: { userId: user.id } });
      sessions[who] = { token: created.token, csrf: created.csrfToken, sessionId: row.id, userId: user.id };
    }
  });
  afterAll(() => server?.close());

  it("refuses a sign-in posted from another site (login CSRF), and takes one from this site", async () => {
    const body = { email: "admin@example.com", password: "a long enough password" };
    const foreign = await callApi(server.url, "POST", "/api/v1/auth/login", { body, headers: { origin: "http://evil.example" } });
    expect(errorOf(foreign, 403, "FORBIDDEN").fields?.[0]?.field).toBe("origin");
    expect(foreign.headers.get("set-cookie")).toBeNull();
    const host = new URL(server.url).host;
    const same = await callApi(server.url, "POST", "/api/v1/auth/login", { body, headers: { origin: `http://${host}` } });
    expect(same.status).toBe(200);
  });

  it("reports a sign-out and a disabled account so their sockets are dropped", async () => {
    const out = await callApi(server.url, "POST", "/api/v1/auth/logout", { body: {}, headers: headers("other") });
    expect(out.status).toBe(200);
    expect(ended).toContainEqual({ sessionId: sessions.other.sessionId });
    const disabled = await callApi(server.url, "POST", `/api/v1/users/${sessions.other.userId}/disable`, { body: {}, headers: headers("admin") });
    expect(disabled.status).toBe(200);
    expect(ended).toContainEqual({ userId: sessions.other.userId });
  });

  it("gives pages a policy that runs only the nonce's scripts and may not be framed", () => {
    const policy = pagePolicy("abc123", false);
    expect(policy).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-eval");
  });
});
