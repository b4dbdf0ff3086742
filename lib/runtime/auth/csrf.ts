// The double-submit CSRF check: the header a browser sends must equal the token of its session.
import { timingSafeEqual } from "node:crypto";
import type { ActiveSession } from "../store";

export function csrfMatches(session: ActiveSession, presented: string | undefined): boolean {
  if (!presented) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}
