// What a third-party skill package may do, declared in its package.json and enforced when its
// actions run: how long a call may take, what it may cost, how much memory its process may use,
// and which network hosts it may reach. It never gets the file system (it reads its own code and
// installed dependencies only), child processes or worker threads.
import { z } from "zod";

/** A host name, optionally with a port: "api.example.com", "127.0.0.1:8080". */
const HostSchema = z.string().regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a host name, optionally with a port, e.g. "api.example.com" or "127.0.0.1:8080"');

export const PermissionsSchema = z.strictObject({
  /** Hosts the package's actions may connect to (default: none). */
  network: z.array(HostSchema).max(64).default([]),
  /** Longest call, ms (default 10 s, at most 120 s). */
  timeoutMs: z.number().int().min(10).max(120_000).default(10_000),
  /** Most one call may cost, USD (default 0: it may not spend). */
  maxCostUsd: z.number().min(0).max(1000).default(0),
  /** Heap of the package's process, MiB (default 128, at most 1024). */
  memoryMb: z.number().int().min(16).max(1024).default(128),
});

export type ActionPermissions = z.output<typeof PermissionsSchema>;
export type ActionPermissionsInput = z.input<typeof PermissionsSchema>;

export const NO_PERMISSIONS: ActionPermissions = PermissionsSchema.parse({});

/** Whether a connection to host:port is allowed by a network list (an entry without a port allows every port). */
export function hostAllowed(network: readonly string[], host: string, port: number | undefined): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return network.some((entry) => {
    const [name, p] = entry.toLowerCase().split(":");
    return name === h && (p === undefined || Number(p) === port);
  });
}
