// The cache key of a request: SHA-256 of its canonical JSON (keys sorted at every level, undefined
// fields left out), so two requests that mean the same thing share a key whatever their key order.

import { createHash } from "node:crypto";
import type { LMRequest } from "./types";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + (value[i] === undefined ? "null" : canonicalJson(value[i]));
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined || typeof v === "function") continue;
    out += `${first ? "" : ","}${JSON.stringify(key)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** Key of a request sent to `provider`, with the model filled in from the LM's default. */
export function cacheKey(provider: string, request: LMRequest, defaultModel: string | undefined): string {
  const model = request.model ?? defaultModel;
  const body = canonicalJson({ ...request, model });
  return createHash("sha256").update(provider).update("\u0000").update(body).digest("hex");
}
