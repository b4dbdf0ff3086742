"use client";
// Configuration made in another browser (or by a script) reaches this one: each `config:changed`
// event marks the queries that show that kind of thing stale, and react-query refetches the ones
// on screen.
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import type { ConfigChangeKind } from "@/lib/schemas";
import { useServerEvent } from "./realtime-provider";

/** The react-query key prefixes ([feature, kind, ...]) that show each kind of configuration. */
export const QUERIES_OF_CHANGE: Readonly<Record<ConfigChangeKind, readonly QueryKey[]>> = {
  version: [["programs"], ["optimizations", "setup"]],
  promotion: [["programs"], ["optimizations", "setup"], ["optimizations", "detail"]],
  budget: [["costs"], ["overview"]],
  dataset: [["datasets"], ["optimizations", "setup"]],
  provider: [["settings", "providers"], ["optimizations", "setup"]],
  price: [["settings", "prices"], ["costs"]],
  key: [["settings", "api-keys"], ["costs"]],
  user: [["settings", "users"], ["settings", "api-keys"]],
  action: [["settings", "actions"], ["agents"]],
  alert: [["alerts"]],
  experiment: [["experiments"]],
};

export function ConfigChangeSync(): null {
  const queryClient = useQueryClient();
  useServerEvent("config:changed", (change) => {
    for (const queryKey of QUERIES_OF_CHANGE[change.kind]) void queryClient.invalidateQueries({ queryKey });
  });
  return null;
}
