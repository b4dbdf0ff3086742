// Providers a person stored in Settings. The API key and extra headers arrive here already sealed
// (the serving layer holds the secret box); the store never sees them in clear.
import type { Prisma, PrismaClient } from "../../db";
import { ConflictError, NotFoundError } from "./errors";
import { isRecordMissing, isUniqueViolation } from "./prisma-errors";

export interface ProviderRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly baseUrl: string;
  /** The sealed API key, or null when none is stored. */
  readonly encryptedKey: string | null;
  readonly defaultModel: string | null;
  /** The sealed JSON object of extra headers, or null. */
  readonly encryptedHeaders: string | null;
  /** [{ id, capabilities?, source }] as stored (validate before use). */
  readonly models: unknown;
  readonly modelsFetchedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface ProviderFields {
  readonly name: string;
  readonly kind: string;
  readonly baseUrl: string;
  readonly encryptedKey: string | null;
  readonly defaultModel: string | null;
  readonly encryptedHeaders?: string | null;
  readonly models?: readonly StoredProviderModel[];
  readonly modelsFetchedAt?: Date | null;
}

export interface StoredProviderModel {
  readonly id: string;
  readonly capabilities?: Readonly<Record<string, boolean>>;
  readonly source: "listed" | "typed";
}

function data(fields: Partial<ProviderFields>): Prisma.ProviderUpdateInput {
  const { models, ...rest } = fields;
  return { ...rest, ...(models !== undefined && { models: models as unknown as Prisma.InputJsonValue }) };
}

const nameTaken = (name: string) => new ConflictError(`a provider named "${name}" exists; choose another name`, "name");

async function write<T>(id: string | undefined, name: string, change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(name);
    if (id !== undefined && isRecordMissing(err)) throw new NotFoundError("provider", id, "id");
    throw err;
  }
}

/** Every provider, by name. */
export async function listProviders(prisma: PrismaClient): Promise<ProviderRecord[]> {
  return prisma.provider.findMany({ orderBy: { name: "asc" } });
}

/** One provider; NOT_FOUND (field id) when there is none. */
export async function getProvider(prisma: PrismaClient, id: string): Promise<ProviderRecord> {
  const row = await prisma.provider.findUnique({ where: { id } });
  if (!row) throw new NotFoundError("provider", id, "id");
  return row;
}

/** CONFLICT (field name) when the name is taken. */
export async function createProvider(prisma: PrismaClient, fields: ProviderFields): Promise<ProviderRecord> {
  return write(undefined, fields.name, () => prisma.provider.create({ data: data(fields) as Prisma.ProviderCreateInput }));
}

/** Changes the fields given; NOT_FOUND when there is no such provider, CONFLICT when the new name is taken. */
export async function updateProvider(prisma: PrismaClient, id: string, fields: Partial<ProviderFields>): Promise<ProviderRecord> {
  return write(id, fields.name ?? "", () => prisma.provider.update({ where: { id }, data: data(fields) }));
}

/** Deletes a provider and its stored key; answers it as it was. */
export async function deleteProvider(prisma: PrismaClient, id: string): Promise<ProviderRecord> {
  const row = await getProvider(prisma, id);
  await prisma.provider.deleteMany({ where: { id: row.id } });
  return row;
}

/** The newest change to any provider and how many there are: a cheap "did anything change?" probe. */
export async function providersVersion(prisma: PrismaClient): Promise<string> {
  const agg = await prisma.provider.aggregate({ _max: { updatedAt: true }, _count: { _all: true } });
  return `${agg._count._all}:${agg._max.updatedAt?.toISOString() ?? "-"}`;
}
