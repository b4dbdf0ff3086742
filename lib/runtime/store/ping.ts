import type { PrismaClient } from "../../db";

/** Resolves when the database answers a query; rejects with its error otherwise. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
