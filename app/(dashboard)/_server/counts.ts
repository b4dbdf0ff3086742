import "server-only";
import { getRuntime } from "@/lib/runtime";
import { entityCounts, type EntityCounts } from "@/lib/runtime/store";

export function loadCounts(): Promise<EntityCounts> {
  return entityCounts(getRuntime().db.prisma);
}
