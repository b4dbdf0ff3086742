// Small conversions between database values and plain data (the store's and the job tables').
import { Prisma } from "../../db";

/** A value as Prisma stores it in a Json column: plain JSON (undefined keys dropped, NaN -> null). */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;
}

/** A nullable Json column: null is stored as SQL NULL. */
export function toNullableJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : toJson(value);
}

/** USD from a Decimal column, as a number (exact for amounts below a million dollars at 9 decimals). */
export function usd(value: Prisma.Decimal | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value.toString());
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}
