// A declared agent system running in this process: a supervisor of its own (the definition's
// restart intensity and backoff) under a parent, one agent per slot, all reachable through one
// directory. It can be called (a message to its entry), scaled per group, and stopped.
import type { LM, RunContext } from "../../../dspex";
import type { Clock } from "../../clock";
import { startSupervisor, supervisor as nestedSupervisor, type Supervisor } from "../../supervisor";
import { startAgent, type Agent, type AgentStats } from "../agent";
import { createDirectory, type LocalDirectory } from "../messaging/directory";
import type { TraceContext } from "../messaging/message-span";
import type { PublishAgentState } from "../types";
import type { Action } from "../action";
import { agentSlots, checkScale, entryMessage, groupCounts, groupSkills, type AgentSystemDefinition } from "./define-agent-system";

export interface StartAgentSystemOptions {
  /** The supervisor the system's own supervisor runs under (default: none, a top-level supervisor). */
  readonly parent?: Supervisor;
  readonly lm?: LM;
  readonly context?: Omit<RunContext, "lm" | "settings" | "signal" | "tracer" | "paths" | "parentSpanId" | "path">;
  /** Agents per group instead of the definition's counts. */
  readonly scale?: Readonly<Record<string, number>>;
  readonly publish?: PublishAgentState;
  readonly clock?: Clock;
  /** Puts every action the agents mount behind the marketplace's gate. */
  readonly govern?: (action: Action) => Action;
}

export interface CallOptions {
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly trace?: TraceContext;
}

export interface RunningAgentSystem {
  readonly name: string;
  readonly definition: AgentSystemDefinition;
  readonly directory: LocalDirectory;
  readonly supervisor: Supervisor;
  agents(): Agent[];
  /** Sends `input` to the system's entry and resolves with the reply. */
  call<R = unknown>(input: unknown, options?: CallOptions): Promise<R>;
  /** Starts or stops agents so the group has `count` of them (the highest numbers stop first). */
  scale(group: string, count: number): Promise<void>;
  counts(): Record<string, number>;
  stats(): AgentStats[];
  stop(): Promise<void>;
}

export async function startAgentSystem(def: AgentSystemDefinition, options: StartAgentSystemOptions = {}): Promise<RunningAgentSystem> {
  checkScale(def, options.scale ?? {});
  const clock = options.clock;
  const own = options.parent
    ? await startNested(options.parent, def)
    : await startSupervisor({ path: `agent-system:${def.name}`, flags: def.flags, ...(clock && { clock }) });
  const directory = createDirectory({ id: def.name });
  const running = new Map<string, Agent>();
  const counts = groupCounts(def, options.scale);
  const entry = entryMessage(def);

  const start = async (id: string, group: string) => {
    const g = def.agents[group]!;
    const mounted = groupSkills(def, group);
    const agent = await startAgent({
      name: group,
      id,
      supervisor: own,
      directory,
      systemId: def.name,
      maxDeliveries: def.maxDeliveries,
      ...(options.govern && { govern: options.govern }),
      ...(g.role && { role: g.role }),
      ...mounted,
      ...(g.topics && { topics: g.topics }),
      ...(g.settings && { settings: g.settings }),
      ...(g.variables && { variables: g.variables }),
      ...(def.mailbox && { mailbox: def.mailbox }),
      ...(def.askTimeoutMs !== undefined && { askTimeoutMs: def.askTimeoutMs }),
      ...(options.lm && { lm: options.lm }),
      ...(options.context && { context: options.context }),
      ...(options.publish && { publish: options.publish }),
      ...(clock && { clock }),
    });
    running.set(id, agent);
  };

  try {
    for (const slot of agentSlots(def, counts)) await start(slot.id, slot.group);
  } catch (error) {
    await own.stop();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    name: def.name,
    definition: def,
    directory,
    supervisor: own,
    agents: () => [...running.values()],
    call(input, callOptions = {}) {
      return directory.ask({ capability: entry.capability }, { type: entry.type, payload: input }, callOptions);
    },
    async scale(group, count) {
      checkScale(def, { [group]: count });
      const before = counts[group]!;
      counts[group] = count;
      for (let i = before; i < count; i++) await start(`${group}-${i}`, group);
      for (let i = before - 1; i >= count; i--) {
        const agent = running.get(`${group}-${i}`);
        running.delete(`${group}-${i}`);
        await agent?.stop();
      }
    },
    counts: () => ({ ...counts }),
    stats: () => [...running.values()].map((a) => a.stats()),
    stop() {
      stopping ??= (async () => {
        await own.stop();
        await Promise.all([...running.values()].map((a) => a.stop()));
        if (options.parent) await options.parent.deleteChild(`agent-system:${def.name}`).catch(() => undefined);
      })();
      return stopping;
    },
  };
}

/** The system's supervisor as a child of `parent`: when it gives up, the parent sees it fail. */
async function startNested(parent: Supervisor, def: AgentSystemDefinition): Promise<Supervisor> {
  let own: Supervisor | undefined;
  const start = nestedSupervisor({ flags: def.flags });
  await parent.startChild({
    id: `agent-system:${def.name}`,
    restart: "temporary",
    type: "supervisor",
    shutdownMs: 30_000,
    start: async (ctx) => {
      own = (await start(ctx)) as Supervisor;
      return own;
    },
  });
  return own!;
}
