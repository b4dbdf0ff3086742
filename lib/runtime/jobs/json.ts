// JSON for the Job table's Json columns.
import { Prisma } from "../../db";

/** A value as a Json column stores it: plain JSON (undefined keys dropped, NaN -> null). */
export function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;
}

/** A nullable Json column: undefined and null are stored as SQL NULL. */
export function toNullableJson(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : toJson(value);
}
