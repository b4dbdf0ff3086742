// How one agent names another: by id or name (a string, or { agent }), or by what it can do
// ({ capability }). Topics name a stream of published messages that agents subscribe to.
import { AgentError } from "../errors";

export type Address = string | { readonly agent: string } | { readonly capability: string };

const NAME = /^[A-Za-z][\w.:#-]*$/;

/** The address in one shape: by agent (id or name) or by capability. */
export function normaliseAddress(to: Address, owner: string): { readonly agent: string } | { readonly capability: string } {
  if (typeof to === "string" && to.length > 0) return { agent: to };
  if (typeof to === "object" && to !== null) {
    if ("agent" in to && typeof to.agent === "string" && to.agent.length > 0) return { agent: to.agent };
    if ("capability" in to && typeof to.capability === "string" && to.capability.length > 0) return { capability: to.capability };
  }
  throw new AgentError("MESSAGE_INVALID", `${owner}: an address is an agent's id or name ("reviewer", { agent: "reviewer" }) or { capability: "review" } (got ${JSON.stringify(to) ?? String(to)})`, owner);
}

export function describeAddress(to: { readonly agent: string } | { readonly capability: string }): string {
  return "agent" in to ? `"${to.agent}"` : `capability "${to.capability}"`;
}

/** Topics look like message types: a letter, then letters, digits, "_", ".", ":", "#" or "-". */
export function checkTopic(topic: unknown, owner: string): string {
  if (typeof topic === "string" && NAME.test(topic)) return topic;
  throw new AgentError("MESSAGE_INVALID", `${owner}: topic must start with a letter and hold only letters, digits, "_", ".", ":", "#" or "-" (got ${JSON.stringify(topic) ?? String(topic)})`, owner);
}
