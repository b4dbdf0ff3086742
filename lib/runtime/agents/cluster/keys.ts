// Where a cluster keeps its state in Redis, all under one prefix (tests use a fresh prefix each).
// Per node: liveness (a sorted set of expiry times) and a reply stream. Per agent system: the
// placement (agent -> node), what each node runs, the scale per group, the restart record, and
// the mailboxes: one stream per agent, per agent name (group) and per capability.
export const GROUP = "agents";

export interface ClusterKeys {
  readonly nodes: string;
  readonly leader: string;
  readonly channel: string;
  replies(node: string): string;
  readonly systems: string;
  hosts(system: string): string;
  place(system: string): string;
  running(system: string): string;
  scale(system: string): string;
  restarts(system: string): string;
  orphans(system: string): string;
  agentRestarts(system: string): string;
  state(system: string): string;
  direct(system: string, agentId: string): string;
  named(system: string, name: string): string;
  capability(system: string, capability: string): string;
  topic(system: string, topic: string): string;
}

export function clusterKeys(prefix: string): ClusterKeys {
  const sys = (system: string) => `${prefix}:sys:${system}`;
  return {
    nodes: `${prefix}:nodes`,
    leader: `${prefix}:leader`,
    channel: `${prefix}:events`,
    replies: (node) => `${prefix}:reply:${node}`,
    systems: `${prefix}:systems`,
    hosts: (s) => `${sys(s)}:hosts`,
    place: (s) => `${sys(s)}:place`,
    running: (s) => `${sys(s)}:running`,
    scale: (s) => `${sys(s)}:scale`,
    restarts: (s) => `${sys(s)}:restarts`,
    orphans: (s) => `${sys(s)}:orphans`,
    agentRestarts: (s) => `${sys(s)}:agent-restarts`,
    state: (s) => `${sys(s)}:state`,
    direct: (s, id) => `${sys(s)}:a:${id}`,
    named: (s, name) => `${sys(s)}:n:${name}`,
    capability: (s, cap) => `${sys(s)}:c:${cap}`,
    topic: (s, topic) => `${sys(s)}:t:${topic}`,
  };
}

/** A stream consumer is one agent on one node: `<node>|<agent>`, so a dead node's consumers are found by prefix. */
export const consumerName = (node: string, agentId: string) => `${node}|${agentId}`;
export const nodeOfConsumer = (consumer: string) => consumer.slice(0, consumer.indexOf("|"));
