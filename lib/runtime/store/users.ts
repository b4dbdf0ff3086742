// Dashboard accounts: the first administrator (created once, on the first start), sign-in checks
// and the users an administrator adds.
import type { PrismaClient } from "../../db";
import { CreateUserBodySchema, LoginBodySchema, SetupBodySchema, type CreateUserBody, type SessionUser, type UserRole, type UserView } from "../../schemas";
import { ConflictError, NotFoundError } from "./errors";
import { parseInput } from "./parse-input";
import { isUniqueViolation } from "./prisma-errors";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./passwords";

const userSelect = { id: true, email: true, name: true, role: true, createdAt: true, disabledAt: true } as const;

function toView(u: { id: string; email: string; name: string; role: UserRole; createdAt: Date; disabledAt: Date | null }): UserView {
  return { id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null };
}

export async function needsSetup(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.user.count()) === 0;
}

/** Creates the first administrator; CONFLICT once any account exists (setup happens once). */
export async function createFirstAdmin(prisma: PrismaClient, input: unknown): Promise<SessionUser> {
  const q = parseInput(SetupBodySchema, input, "setup");
  const passwordHash = await hashPassword(q.password);
  // Serializable: two setups racing cannot both see an empty table.
  const user = await prisma.$transaction(
    async (tx) => {
      if ((await tx.user.count()) > 0) throw new ConflictError("setup is done: an administrator exists; sign in instead", "email");
      return tx.user.create({ data: { email: q.email, name: q.name, passwordHash, role: "admin" }, select: userSelect });
    },
    { isolationLevel: "Serializable" },
  );
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function createUser(prisma: PrismaClient, input: CreateUserBody): Promise<UserView> {
  const q = parseInput(CreateUserBodySchema, input, "user");
  try {
    return toView(await prisma.user.create({ data: { email: q.email, name: q.name, role: q.role, passwordHash: await hashPassword(q.password) }, select: userSelect }));
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a user with the email ${q.email} exists`, "email");
    throw err;
  }
}

export async function listUsers(prisma: PrismaClient): Promise<UserView[]> {
  return (await prisma.user.findMany({ orderBy: { createdAt: "asc" }, select: userSelect })).map(toView);
}

/** Disables (or enables) an account; its sessions end at once. The last active administrator stays. */
export async function setUserDisabled(prisma: PrismaClient, id: string, disabled: boolean): Promise<UserView> {
  const user = await prisma.user.findUnique({ where: { id }, select: userSelect });
  if (!user) throw new NotFoundError("user", id, "id");
  if (disabled && user.role === "admin" && (await prisma.user.count({ where: { role: "admin", disabledAt: null } })) <= 1) {
    throw new ConflictError("the last active administrator cannot be disabled", "id");
  }
  const updated = await prisma.user.update({ where: { id }, data: { disabledAt: disabled ? new Date() : null }, select: userSelect });
  if (disabled) await prisma.session.deleteMany({ where: { userId: id } });
  return toView(updated);
}

/** The account for an email and password, or undefined (same work either way). */
export async function checkCredentials(prisma: PrismaClient, input: unknown): Promise<SessionUser | undefined> {
  const q = parseInput(LoginBodySchema, input, "sign-in");
  const user = await prisma.user.findUnique({ where: { email: q.email }, select: { ...userSelect, passwordHash: true } });
  const ok = await verifyPassword(q.password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok || user.disabledAt) return undefined;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
