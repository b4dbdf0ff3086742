import "server-only";
import { getRuntime } from "@/lib/runtime";
import type { EntityCounts } from "@/lib/runtime/store";

export function loadCounts(): Promise<EntityCounts> {
  return getRuntime().store.entityCounts();
}
