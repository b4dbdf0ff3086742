// A team: agents join and leave at run time and are routed work by capability. Every task has an
// id and sits in an in-flight table while an agent holds it; a crash, a timeout or a stopped agent
// hands it to another capable agent, and at most one result per task is ever accepted (a timed-out
// agent's late reply is discarded by the agent's mailbox before it reaches anyone, and its
// handler's signal is aborted so cancellable work stops). Finished task ids are remembered, to
// refuse a repeated id, up to a bound: the oldest are forgotten first.
import { systemClock, type Clock, type TimerHandle } from "../clock";
import type { Agent } from "./agent";
import { AgentError, describe, isAgentError } from "./errors";
import type { TraceContext } from "./messaging/message-span";

export interface TeamOptions {
  readonly name: string;
  readonly id?: string;
  readonly clock?: Clock;
  /** How agents are chosen among the capable ones: "least-loaded" (default) or "round-robin". */
  readonly balance?: "least-loaded" | "round-robin";
  /** Per attempt: an agent that has not replied within this long loses the task (default: no limit). */
  readonly taskTimeoutMs?: number;
  /** Attempts per task across agents before it fails with TASK_FAILED (default 3). */
  readonly maxAttempts?: number;
  /** How long a task waits for a capable agent to join before NO_CAPABLE_AGENT (default 0: fail at once). */
  readonly assignTimeoutMs?: number;
  /** How many finished task ids are remembered to refuse a repeated id (default 10,000; the oldest are forgotten first). */
  readonly rememberTasks?: number;
  readonly onEvent?: (event: TeamEvent) => void;
}

export interface TeamTask<P = unknown> {
  /** What the agent must be able to do: a skill, action or message type, or a role name. */
  readonly capability: string;
  /** The message type; default "run" when the capability is the agent's role, else the capability. */
  readonly type?: string;
  readonly payload?: P;
  /** Unique per team; default a fresh id. A task id already done or in flight is refused. */
  readonly id?: string;
}

export interface DispatchOptions {
  /** Overrides the team's per-attempt timeout. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Picks among the capable agents not yet tried for this task (they are listed in join order). */
  readonly select?: (candidates: readonly Agent[]) => Agent | undefined;
  /** The run that caused the task: each attempt's message is a span of it. */
  readonly trace?: TraceContext;
  /** The agent that hands out the task (its message's sender). */
  readonly from?: string;
}

export interface TaskResult<R = unknown> {
  readonly taskId: string;
  readonly agentId: string;
  readonly attempts: number;
  readonly output: R;
}

export type TeamEvent =
  | { readonly type: "join" | "leave"; readonly agentId: string }
  | { readonly type: "assigned"; readonly taskId: string; readonly agentId: string; readonly attempt: number }
  | { readonly type: "reassigned"; readonly taskId: string; readonly fromAgentId: string; readonly reason: string }
  | { readonly type: "completed"; readonly taskId: string; readonly agentId: string }
  | { readonly type: "failed"; readonly taskId: string; readonly error: string };

export interface TeamStats {
  readonly members: number;
  readonly dispatched: number;
  readonly completed: number;
  readonly failed: number;
  readonly reassigned: number;
  readonly inFlight: number;
}

export interface InFlightTask {
  readonly taskId: string;
  readonly agentId: string;
  readonly attempt: number;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  /** Adds an agent; tasks waiting for its capability are assigned to it. Joining twice is a no-op. */
  join(agent: Agent): void;
  /** No new tasks go to the agent; what it holds finishes (or is reassigned if it stops). */
  leave(agentId: string): void;
  /** Members, optionally only those with a capability (stopped agents excluded). */
  members(capability?: string): Agent[];
  dispatch<R = unknown>(task: TeamTask, options?: DispatchOptions): Promise<TaskResult<R>>;
  inFlight(): InFlightTask[];
  stats(): TeamStats;
}

let teamSeq = 0;

export function createTeam(options: TeamOptions): Team {
  if (typeof options?.name !== "string" || options.name.length === 0) throw new AgentError("OPTION_INVALID", 'createTeam: name must be a non-empty string, e.g. createTeam({ name: "dev" })');
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new AgentError("OPTION_INVALID", `team "${options.name}": maxAttempts must be a positive integer (got ${String(options.maxAttempts)})`, options.name);
  const remember = options.rememberTasks ?? 10_000;
  if (!Number.isInteger(remember) || remember < 1) throw new AgentError("OPTION_INVALID", `team "${options.name}": rememberTasks must be a positive integer (got ${String(options.rememberTasks)})`, options.name);
  return new AgentTeam(options, maxAttempts, remember);
}

class AgentTeam implements Team {
  readonly id: string;
  readonly name: string;
  private readonly clock: Clock;
  private readonly roster = new Map<string, Agent>();
  private readonly flying = new Map<string, InFlightTask>();
  /** Finished task ids, at most `remember` of them; `order` is a ring of the same ids, oldest next to go. */
  private readonly done = new Set<string>();
  private readonly order: Array<string | undefined> = [];
  private orderAt = 0;
  private readonly waiters = new Set<() => void>();
  private readonly cursor = new Map<string, number>();
  private seq = 0;
  private counts = { dispatched: 0, completed: 0, failed: 0, reassigned: 0 };

  constructor(
    private readonly options: TeamOptions,
    private readonly maxAttempts: number,
    private readonly remember: number,
  ) {
    this.id = options.id ?? `${options.name}-${++teamSeq}`;
    this.name = options.name;
    this.clock = options.clock ?? systemClock();
  }

  join(agent: Agent): void {
    if (this.roster.has(agent.id)) return;
    this.roster.set(agent.id, agent);
    this.emit({ type: "join", agentId: agent.id });
    for (const wake of [...this.waiters]) wake();
  }

  leave(agentId: string): void {
    if (this.roster.delete(agentId)) this.emit({ type: "leave", agentId });
  }

  members(capability?: string): Agent[] {
    return [...this.roster.values()].filter((a) => a.state !== "stopped" && (capability === undefined || a.capabilities.has(capability)));
  }

  inFlight(): InFlightTask[] {
    return [...this.flying.values()];
  }

  stats(): TeamStats {
    return { members: this.roster.size, ...this.counts, inFlight: this.flying.size };
  }

  async dispatch<R = unknown>(task: TeamTask, options: DispatchOptions = {}): Promise<TaskResult<R>> {
    const taskId = task.id ?? `${this.id}:${++this.seq}`;
    if (this.done.has(taskId) || this.flying.has(taskId)) {
      throw new AgentError("OPTION_INVALID", `team "${this.name}": task "${taskId}" is already ${this.done.has(taskId) ? "done" : "in flight"}; give each task a new id`, this.name);
    }
    this.counts.dispatched++;
    const tried = new Set<string>();
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      const agent = await this.pick(task.capability, tried, options).catch((error: unknown) => this.fail(taskId, error));
      this.flying.set(taskId, { taskId, agentId: agent.id, attempt });
      this.emit({ type: "assigned", taskId, agentId: agent.id, attempt });
      try {
        const timeoutMs = options.timeoutMs ?? this.options.taskTimeoutMs;
        const type = task.type ?? (task.capability === agent.role ? "run" : task.capability);
        const output = await agent.ask<R>(
          { type, payload: task.payload },
          { onCrash: "fail", ...(timeoutMs !== undefined && { timeoutMs }), ...(options.signal && { signal: options.signal }), ...(options.trace && { trace: options.trace }), ...(options.from !== undefined && { from: options.from }) },
        );
        this.flying.delete(taskId);
        this.markDone(taskId);
        this.counts.completed++;
        this.emit({ type: "completed", taskId, agentId: agent.id });
        return { taskId, agentId: agent.id, attempts: attempt, output };
      } catch (error) {
        this.flying.delete(taskId);
        if (!isAgentError(error) || !error.reassignable || options.signal?.aborted) return this.fail(taskId, error);
        lastError = error;
        tried.add(agent.id);
        this.counts.reassigned++;
        this.emit({ type: "reassigned", taskId, fromAgentId: agent.id, reason: error.code });
      }
    }
    return this.fail(taskId, new AgentError("TASK_FAILED", `team "${this.name}": task "${taskId}" (${task.capability}) failed on ${this.maxAttempts} attempts; last: ${describe(lastError)}`, this.name, { cause: lastError }));
  }

  private markDone(taskId: string): void {
    if (this.done.has(taskId)) return;
    const oldest = this.order[this.orderAt];
    if (oldest !== undefined) this.done.delete(oldest);
    this.order[this.orderAt] = taskId;
    this.orderAt = (this.orderAt + 1) % this.remember;
    this.done.add(taskId);
  }

  private fail(taskId: string, error: unknown): never {
    this.markDone(taskId);
    this.counts.failed++;
    this.emit({ type: "failed", taskId, error: describe(error) });
    throw error;
  }

  /** A capable agent, untried ones first; waits up to assignTimeoutMs for one to join. */
  private async pick(capability: string, tried: ReadonlySet<string>, options: DispatchOptions): Promise<Agent> {
    const deadline = this.clock.now() + (this.options.assignTimeoutMs ?? 0);
    for (;;) {
      // An agent handing out a task never takes it itself: it would wait on its own mailbox.
      const capable = this.members(capability).filter((a) => a.id !== options.from);
      const fresh = capable.filter((a) => !tried.has(a.id));
      const pool = fresh.length ? fresh : capable;
      const chosen = pool.length ? (options.select ? options.select(pool) : this.balance(capability, pool)) : undefined;
      if (chosen) return chosen;
      const left = deadline - this.clock.now();
      if (left <= 0 || options.signal?.aborted) {
        const known = [...new Set(this.members().flatMap((a) => [...a.capabilities]))];
        throw new AgentError("NO_CAPABLE_AGENT", `team "${this.name}": no agent can do "${capability}"; members can do: ${known.join(", ") || "(no members)"}. Join an agent with that skill or role`, this.name);
      }
      await this.nextJoin(left, options.signal);
    }
  }

  private balance(capability: string, pool: readonly Agent[]): Agent {
    const turn = this.cursor.get(capability) ?? 0;
    this.cursor.set(capability, turn + 1);
    if (this.options.balance === "round-robin") return pool[turn % pool.length]!;
    let best = pool[turn % pool.length]!;
    for (const a of pool) if (a.load < best.load) best = a;
    return best;
  }

  private nextJoin(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined = undefined;
      const wake = () => {
        this.waiters.delete(wake);
        if (timer !== undefined) this.clock.clearTimeout(timer);
        signal?.removeEventListener("abort", wake);
        resolve();
      };
      this.waiters.add(wake);
      timer = this.clock.setTimeout(wake, ms);
      signal?.addEventListener("abort", wake, { once: true });
    });
  }

  private emit(event: TeamEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A failing listener must not break the team.
    }
  }
}
