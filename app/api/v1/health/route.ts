import type { z } from "zod";
import type { HealthSchema } from "@/lib/schemas";

export const dynamic = "force-dynamic";

/** Liveness: the process answers HTTP. Needs no authentication and touches nothing else. */
export function GET(): Response {
  const body: z.infer<typeof HealthSchema> = { status: "ok" };
  return Response.json(body, { headers: { "cache-control": "no-store" } });
}
