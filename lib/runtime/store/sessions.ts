// Sign-in sessions: a random token in an HttpOnly cookie (only its hash is stored) and a CSRF
// token the browser echoes in a header on every change (double submit, checked against the row
// by the auth layer's csrfMatches).
import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../../db";
import type { SessionUser } from "../../schemas";

export const SESSION_TTL_MS = 14 * 86_400_000;
/** lastSeenAt (and the sliding expiry) is written at most this often per session. */
const TOUCH_EVERY_MS = 60_000;

export interface ActiveSession {
  readonly id: string;
  readonly user: SessionUser;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(prisma: PrismaClient, userId: string, now = new Date()): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await prisma.session.create({ data: { userId, tokenHash: hashToken(token), csrfToken, expiresAt, lastSeenAt: now } });
  return { token, csrfToken, expiresAt };
}

/** The live session of a cookie token, or undefined (unknown, expired, or its user disabled). */
export async function findSession(prisma: PrismaClient, token: string | undefined, now = new Date()): Promise<ActiveSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const row = await prisma.session.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, csrfToken: true, expiresAt: true, lastSeenAt: true, user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } } },
  });
  if (!row) return undefined;
  if (row.expiresAt <= now || row.user.disabledAt) {
    await prisma.session.deleteMany({ where: { id: row.id } });
    return undefined;
  }
  let expiresAt = row.expiresAt;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await prisma.session.update({ where: { id: row.id }, data: { lastSeenAt: now, expiresAt } });
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return { id: row.id, user, csrfToken: row.csrfToken, expiresAt };
}

export async function endSession(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id } });
}
