// Recognising database errors the store turns into typed ones.
import { Prisma } from "../../db";

/** A unique constraint was violated (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/** A row to update or delete was not there (Prisma P2025). */
export function isRecordMissing(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025";
}

/** Runs `attempt` again (up to `times`) when it loses a race on a unique number (versions). */
export async function retryOnUniqueViolation<T>(attempt: () => Promise<T>, times = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isUniqueViolation(err) || i >= times) throw err;
    }
  }
}
