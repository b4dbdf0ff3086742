// The runtime's declared agent systems: started at boot, in this process under the root
// supervisor (embedded), or, with Redis, placed over every process of the cluster (servers and
// workers each run a cluster node). Either way they are listed, called, scaled, stopped and
// restarted through this one interface.
import type { LM } from "../../../dspex";
import type { Logger } from "../../../log";
import type { Supervisor } from "../../supervisor";
import type { Action } from "../action";
import type { SkillLoadError } from "../registry";
import { startClusterNode, type ClusterNode, type ClusterNodeOptions } from "../cluster/cluster-node";
import { AgentError } from "../errors";
import type { PublishAgentState } from "../types";
import { checkScale, groupCounts, groupOf, type AgentSystemDefinition } from "./define-agent-system";
import type { LoadedAgentSystem } from "./load-agent-systems";
import { startAgentSystem, type CallOptions, type RunningAgentSystem } from "./start-agent-system";

export interface AgentSystemAgent {
  readonly id: string;
  readonly group: string;
  /** The cluster node running it (cluster mode). */
  readonly node: string | null;
  /** Its state, when this process runs it. */
  readonly state: string | null;
  readonly processed: number | null;
  readonly restarts: number;
}

export interface AgentSystemSummary {
  readonly name: string;
  readonly description: string;
  readonly source: string;
  readonly entry: string;
  readonly mode: "embedded" | "cluster";
  /** "running", "stopped", or "failed: <why>". */
  readonly state: string;
  readonly groups: ReadonlyArray<{ readonly name: string; readonly count: number; readonly capabilities: readonly string[] }>;
  readonly agents: readonly AgentSystemAgent[];
}

export interface AgentSystemsService {
  readonly mode: "embedded" | "cluster";
  readonly node?: ClusterNode;
  definitions(): readonly LoadedAgentSystem[];
  /** Files of the programs folder that declare a system but could not be loaded or resolved. */
  loadErrors(): readonly SkillLoadError[];
  list(): Promise<AgentSystemSummary[]>;
  get(name: string): Promise<AgentSystemSummary>;
  call<R = unknown>(name: string, input: unknown, options?: CallOptions): Promise<R>;
  scale(name: string, group: string, count: number): Promise<void>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  /** Stops everything (the runtime's shutdown). */
  close(): Promise<void>;
}

export interface AgentSystemsServiceOptions {
  readonly systems: readonly LoadedAgentSystem[];
  /** What loading the programs folder's systems reported (listed with them). */
  readonly loadErrors?: readonly SkillLoadError[];
  readonly supervisor: Supervisor;
  readonly lm?: LM;
  readonly publish?: PublishAgentState;
  /** Puts every action the agents mount behind the marketplace's gate. */
  readonly govern?: (action: Action) => Action;
  readonly log?: Pick<Logger, "info" | "warn" | "error">;
  /** With Redis: the cluster to join (redisUrl, prefix, and whether this process runs agents). */
  readonly cluster?: Pick<ClusterNodeOptions, "redisUrl" | "prefix" | "host" | "lead" | "nodeId" | "heartbeatMs" | "nodeTtlMs" | "tickMs" | "blockMs">;
}

export async function startAgentSystems(options: AgentSystemsServiceOptions): Promise<AgentSystemsService> {
  // Agent ids are unique within a system ("worker-0"); the states published carry "<system>:<id>".
  const publish = options.publish;
  const qualified: AgentSystemsServiceOptions = publish ? { ...options, publish: (s) => publish({ ...s, agentId: s.systemId ? `${s.systemId}:${s.agentId}` : s.agentId }) } : options;
  return qualified.cluster ? clusterService(qualified, qualified.cluster) : embeddedService(qualified);
}

function unknownSystem(loaded: readonly LoadedAgentSystem[], name: string): AgentError {
  return new AgentError("UNKNOWN_ADDRESS", `no agent system "${name}"; systems: ${loaded.map((l) => l.definition.name).join(", ") || "(none: declare one in the programs folder)"}`, name);
}

function summaryBase(l: LoadedAgentSystem, counts: Record<string, number>, mode: "embedded" | "cluster", state: string, agents: AgentSystemAgent[]): AgentSystemSummary {
  const def = l.definition;
  return {
    name: def.name,
    description: def.description,
    source: l.source,
    entry: def.entry,
    mode,
    state,
    groups: Object.keys(def.agents).map((g) => ({ name: g, count: counts[g]!, capabilities: def.capabilities[g]! })),
    agents,
  };
}

async function embeddedService(options: AgentSystemsServiceOptions): Promise<AgentSystemsService> {
  const running = new Map<string, RunningAgentSystem>();
  const states = new Map<string, string>();
  const byName = new Map(options.systems.map((l) => [l.definition.name, l]));
  const start = async (def: AgentSystemDefinition, scale?: Record<string, number>) => {
    try {
      const sys = await startAgentSystem(def, { parent: options.supervisor, ...(options.govern && { govern: options.govern }), ...(options.lm && { lm: options.lm }), ...(options.publish && { publish: options.publish }), ...(scale && { scale }) });
      running.set(def.name, sys);
      states.set(def.name, "running");
      void sys.supervisor.exit.then((reason) => {
        if (running.get(def.name) !== sys || reason.kind !== "error") return;
        running.delete(def.name);
        states.set(def.name, `failed: ${reason.error instanceof Error ? reason.error.message : String(reason.error)}`);
        options.log?.error({ system: def.name }, "an agent system failed (restart intensity exceeded)");
      });
    } catch (err) {
      states.set(def.name, `failed: ${err instanceof Error ? err.message : String(err)}`);
      options.log?.error({ err, system: def.name }, "an agent system could not start");
    }
  };
  for (const l of options.systems) await start(l.definition);
  const lookup = (name: string) => {
    const l = byName.get(name);
    if (!l) throw unknownSystem(options.systems, name);
    return l;
  };
  const scales = new Map<string, Record<string, number>>();
  const service: AgentSystemsService = {
    mode: "embedded",
    definitions: () => options.systems,
    loadErrors: () => options.loadErrors ?? [],
    list: () => Promise.all(options.systems.map((l) => service.get(l.definition.name))),
    async get(name) {
      const l = lookup(name);
      const sys = running.get(name);
      const counts = sys ? sys.counts() : groupCounts(l.definition, scales.get(name));
      const agents = (sys?.agents() ?? []).map((a) => {
        const s = a.stats();
        return { id: a.id, group: a.name, node: null, state: s.state, processed: s.processed, restarts: s.restarts };
      });
      return summaryBase(l, counts, "embedded", states.get(name) ?? "stopped", agents);
    },
    call(name, input, callOptions) {
      try {
        lookup(name);
        const sys = running.get(name);
        if (!sys) throw new AgentError("AGENT_STOPPED", `agent system "${name}" is ${states.get(name) ?? "stopped"}; restart it first`, name);
        return sys.call(input, callOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async scale(name, group, count) {
      const l = lookup(name);
      const sys = running.get(name);
      checkScale(l.definition, { [group]: count });
      if (sys) await sys.scale(group, count);
      scales.set(name, { ...scales.get(name), [group]: count });
    },
    async stop(name) {
      lookup(name);
      const sys = running.get(name);
      running.delete(name);
      states.set(name, "stopped");
      if (sys) scales.set(name, sys.counts());
      await sys?.stop();
    },
    async restart(name) {
      const l = lookup(name);
      await service.stop(name);
      await start(l.definition, scales.get(name));
    },
    async close() {
      for (const sys of running.values()) await sys.stop();
      running.clear();
    },
  };
  return service;
}

async function clusterService(options: AgentSystemsServiceOptions, cluster: NonNullable<AgentSystemsServiceOptions["cluster"]>): Promise<AgentSystemsService> {
  const node = await startClusterNode({
    ...cluster,
    systems: options.systems.map((l) => l.definition),
    ...(options.lm && { lm: options.lm }),
    ...(options.publish && { publish: options.publish }),
    ...(options.govern && { govern: options.govern }),
    ...(options.log && { log: options.log }),
  });
  const byName = new Map(options.systems.map((l) => [l.definition.name, l]));
  const lookup = (name: string) => {
    const l = byName.get(name);
    if (!l) throw unknownSystem(options.systems, name);
    return l;
  };
  const service: AgentSystemsService = {
    mode: "cluster",
    node,
    definitions: () => options.systems,
    loadErrors: () => options.loadErrors ?? [],
    list: () => Promise.all(options.systems.map((l) => service.get(l.definition.name))),
    async get(name) {
      const l = lookup(name);
      const status = await node.status(name);
      const ids = new Set([...Object.keys(status.placement), ...Object.keys(status.running)]);
      const agents = [...ids].sort().map((id) => ({
        id,
        group: groupOf(l.definition, id) ?? "",
        node: status.running[id]?.node ?? status.placement[id] ?? null,
        state: status.running[id] ? "running" : "starting",
        processed: null,
        restarts: status.restarts[id] ?? 0,
      }));
      return summaryBase(l, status.counts, "cluster", status.state, agents);
    },
    call(name, input, callOptions) {
      try {
        lookup(name);
        return node.call(name, input, callOptions);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    scale: (name, group, count) => node.scale(name, group, count),
    stop: (name) => node.stopSystem(name),
    restart: (name) => node.restart(name),
    close: () => node.stop(),
  };
  return service;
}
