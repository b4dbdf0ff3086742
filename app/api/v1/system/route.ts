import { getRuntime } from "@/lib/runtime";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json(getRuntime().status(), { headers: { "cache-control": "no-store" } });
}
