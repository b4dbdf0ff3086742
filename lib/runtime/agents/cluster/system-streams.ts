// Which streams carry a system's messages: one per agent (messages to it by id), one per group
// (by name: any agent of the group), one per capability (any capable agent). An agent reads its
// own, its group's and its capabilities' streams, and only while it is idle: whichever capable
// agent is free first, on whatever node, takes the next message (the least loaded one).
import { AgentError } from "../errors";
import { describeAddress, normaliseAddress, type Address } from "../messaging/address";
import { groupCounts, groupOf, type AgentSystemDefinition } from "../systems/define-agent-system";
import type { ClusterKeys } from "./keys";

const DEFAULT_CAPACITY = 1000;

export function mailboxCapacity(def: AgentSystemDefinition): number {
  return def.mailbox?.capacity ?? DEFAULT_CAPACITY;
}

/** The streams an agent of `group` reads, its own first. */
export function streamsOfAgent(keys: ClusterKeys, def: AgentSystemDefinition, agentId: string, group: string): string[] {
  return [keys.direct(def.name, agentId), keys.named(def.name, group), ...def.capabilities[group]!.filter((c) => c !== group).map((c) => keys.capability(def.name, c))];
}

/** Every stream of the system at a scale (ids of `extraIds` too: agents placed before a scale-down). */
export function streamsOfSystem(keys: ClusterKeys, def: AgentSystemDefinition, scale: Readonly<Record<string, number>>, extraIds: Iterable<string> = []): string[] {
  const ids = new Set(extraIds);
  for (const [group, n] of Object.entries(groupCounts(def, scale))) for (let i = 0; i < n; i++) ids.add(`${group}-${i}`);
  const caps = new Set(Object.values(def.capabilities).flat());
  return [...[...ids].map((id) => keys.direct(def.name, id)), ...Object.keys(def.agents).map((g) => keys.named(def.name, g)), ...[...caps].filter((c) => !(c in def.agents)).map((c) => keys.capability(def.name, c))];
}

export interface Destination {
  readonly stream: string;
  /** How many messages it may hold: the mailboxes of the agents that read it. */
  readonly capacity: number;
  /** For spans and errors: the agent id, group or capability. */
  readonly label: string;
  /** Set when it is one agent: a sender never addresses itself. */
  readonly agentId?: string;
}

/** Where a message to `to` goes. */
export function destinationOf(keys: ClusterKeys, def: AgentSystemDefinition, scale: Readonly<Record<string, number>>, to: Address, from?: string): Destination {
  const address = normaliseAddress(to, `agent system "${def.name}"`);
  const counts = groupCounts(def, scale);
  const capacity = mailboxCapacity(def);
  let dest: Destination | undefined;
  if ("agent" in address) {
    const group = groupOf(def, address.agent);
    if (group !== undefined && Number(address.agent.slice(group.length + 1)) < counts[group]!) dest = { stream: keys.direct(def.name, address.agent), capacity, label: address.agent, agentId: address.agent };
    else if (address.agent in def.agents && counts[address.agent]! > 0) dest = { stream: keys.named(def.name, address.agent), capacity: capacity * counts[address.agent]!, label: address.agent };
    if (!dest) throw new AgentError("UNKNOWN_ADDRESS", `agent system "${def.name}": no agent is called "${address.agent}"; groups: ${Object.keys(def.agents).join(", ")}`, def.name);
  } else {
    const groups = Object.entries(def.capabilities).filter(([g, caps]) => caps.includes(address.capability) && counts[g]! > 0);
    if (groups.length === 0) {
      throw new AgentError("NO_CAPABLE_AGENT", `agent system "${def.name}": no running agent can do "${address.capability}"; capabilities: ${[...new Set(Object.values(def.capabilities).flat())].join(", ")}`, def.name);
    }
    const stream = address.capability in def.agents ? keys.named(def.name, address.capability) : keys.capability(def.name, address.capability);
    dest = { stream, capacity: capacity * groups.reduce((n, [g]) => n + counts[g]!, 0), label: address.capability };
  }
  if (dest.agentId !== undefined && dest.agentId === from) {
    throw new AgentError("MESSAGE_INVALID", `agent "${from}" sent a message to ${describeAddress(address)}, which is itself: an agent handles one message at a time and would wait on itself; address another agent`, from);
  }
  return dest;
}
