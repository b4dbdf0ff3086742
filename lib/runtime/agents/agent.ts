// An agent: a supervised process (a child of a supervisor) taking messages one at a time from a
// bounded FIFO mailbox, with a role, skills, its own LM settings and variables, and a state
// machine (idle, busy, waiting, restarting, stopped) published as throttled agent:state events.
// The agent object outlives its process: when a handler throws, the process crashes and its
// supervisor restarts it; the message it was handling goes back to the head of the mailbox (or,
// for a team's task, fails fast with AGENT_CRASHED so the team can hand it to another agent).
import type { JsonValue, LM, LMSettings, Module, RunContext } from "../../dspex";
import { systemClock, type Clock, type TimerHandle } from "../clock";
import { startSupervisor, task, type Supervisor, type SupervisorFlagsInput } from "../supervisor";
import type { Action } from "./action";
import { handlerContext, routeMessage } from "./agent-context";
import { settle, type Envelope } from "./envelope";
import { AgentError, describe } from "./errors";
import { Mailbox, type MailboxOptions } from "./mailbox";
import type { AgentDirectory } from "./messaging/directory";
import { externalSpan, startMessageSpan, type TraceContext } from "./messaging/message-span";
import { roleModule } from "./role";
import { mountSkills, type Mounted, type Skill } from "./skill";
import { StateThrottle } from "./state-throttle";
import type { AgentMessage, AgentStateEvent, AgentStateName, PublishAgentState, RoleSpec } from "./types";

export interface AgentOptions {
  /** Shown on the dashboard; also the default id prefix. */
  readonly name: string;
  /** Unique under its supervisor (no "/"). Default `<name>-<n>`. */
  readonly id?: string;
  /** The supervisor the agent runs under. Default: a one_for_one supervisor of its own, stopped with the agent. */
  readonly supervisor?: Supervisor;
  /** Flags of the agent's own supervisor (only without `supervisor`); default intensity 10 per 5 s. */
  readonly flags?: SupervisorFlagsInput;
  /** permanent (default): restarted after every crash; transient: same; temporary: a crash stops it for good. */
  readonly restart?: "permanent" | "transient" | "temporary";
  readonly role?: RoleSpec;
  readonly skills?: readonly Skill[];
  readonly actions?: readonly Action[];
  readonly lm?: LM;
  /** The agent's own LM settings (model, temperature, ...): defaults under its role's. */
  readonly settings?: LMSettings;
  /** Adapter, retries and the like for the role's runs. */
  readonly context?: Omit<RunContext, "lm" | "settings" | "signal" | "tracer" | "paths" | "parentSpanId" | "path">;
  /** Values handlers read through ctx.variables. */
  readonly variables?: Readonly<Record<string, JsonValue>>;
  /** capacity (default 1000) and overflow ("wait", default, or "fail"). */
  readonly mailbox?: MailboxOptions;
  /** How many times a message that crashes the agent is handed to it again before its sender gets AGENT_CRASHED (default 3). */
  readonly maxDeliveries?: number;
  /** Where agent:state events go. */
  readonly publish?: PublishAgentState;
  /** At most one agent:state event per this many ms per agent (default 250). */
  readonly publishIntervalMs?: number;
  /** The agent system or team the agent belongs to (agent:state's systemId). */
  readonly systemId?: string | null;
  readonly clock?: Clock;
  /** Every state change, unthrottled (for teams and tests). */
  readonly onTransition?: (state: AgentStateName, previous: AgentStateName) => void;
  /** Where the agent is reachable by id, name and capability, and through which its handlers reach other agents. */
  readonly directory?: AgentDirectory;
  /** Topics the agent subscribes to at start (each needs a handler of that name); needs `directory`. */
  readonly topics?: readonly string[];
  /** How long a handler's ctx.ask waits for another agent's reply by default (30 s). */
  readonly askTimeoutMs?: number;
  /** Puts every action the agent mounts behind a gate (the runtime's marketplace: enabled or not, calls counted). */
  readonly govern?: (action: Action) => Action;
}

export interface SendOptions {
  readonly signal?: AbortSignal;
  /** When the mailbox is full: wait for room (the mailbox's default) or fail with MAILBOX_FULL. */
  readonly overflow?: "wait" | "fail";
  /** When the agent crashes on this message: hand it again after the restart (default) or fail the sender. */
  readonly onCrash?: "redeliver" | "fail";
  /** The sending agent's id (handlers see it as ctx.from). */
  readonly from?: string;
  /** The run that caused the message: it becomes a span of that run, and the handler runs under it. */
  readonly trace?: TraceContext;
  /** Set when the message was published on a topic (the span says so). */
  readonly topic?: string;
  /** The message's span was opened by its sender in another process (trace.parentSpanId): the handler runs under it, no span is opened here. */
  readonly underSpan?: TraceContext;
  /** Deliveries already made elsewhere (another process): they count toward maxDeliveries. */
  readonly delivered?: number;
}

export interface AskOptions extends SendOptions {
  /** Reject with TASK_TIMEOUT after this long (queued time included); a late reply is discarded. */
  readonly timeoutMs?: number;
}

export type AgentStats = Omit<AgentStateEvent, "at"> & { readonly load: number };

export interface Agent {
  readonly id: string;
  readonly name: string;
  /** The role's name ("" without a role). */
  readonly role: string;
  /** Skill names, action names, handled message types, "run" and the role's name when it has a role. */
  readonly capabilities: ReadonlySet<string>;
  readonly state: AgentStateName;
  /** Messages queued plus the one in hand: what least-loaded balancing compares. */
  readonly load: number;
  /** The role module (runs on "run" messages). */
  readonly module?: Module;
  stats(): AgentStats;
  /** Queues a message; resolves once it is in the mailbox (waits for room when full). */
  send(message: AgentMessage, options?: SendOptions): Promise<void>;
  /** Queues a message and resolves with the handler's reply. */
  ask<R = unknown>(message: AgentMessage, options?: AskOptions): Promise<R>;
  /** Kills the running process (as a crash): for tests, benchmarks and chaos drills. */
  kill(reason?: unknown): void;
  /** Stops for good: the process ends, queued messages are refused with AGENT_STOPPED. */
  stop(): Promise<void>;
}

let agentSeq = 0;

/** Starts an agent under its supervisor; resolves once its process runs. */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  if (typeof options?.name !== "string" || options.name.length === 0) {
    throw new AgentError("OPTION_INVALID", 'startAgent: name must be a non-empty string, e.g. startAgent({ name: "coder", ... })');
  }
  const own = options.supervisor ? undefined : await startSupervisor({ path: `agent:${options.id ?? options.name}`, flags: options.flags ?? { intensity: 10 }, ...(options.clock && { clock: options.clock }) });
  const agent = new AgentProcess(options, own);
  const supervisor = options.supervisor ?? own!;
  try {
    await supervisor.startChild({ id: agent.id, restart: options.restart ?? "permanent", start: task((signal) => agent.loop(signal)) });
  } catch (error) {
    await own?.stop();
    throw error;
  }
  agent.attach(supervisor);
  try {
    await agent.join();
  } catch (error) {
    await agent.stop();
    throw error;
  }
  return agent;
}

class AgentProcess implements Agent {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly capabilities: ReadonlySet<string>;
  readonly module?: Module;
  private readonly mounted: Mounted;
  private readonly mailbox: Mailbox<Envelope>;
  private readonly clock: Clock;
  private readonly throttle?: StateThrottle;
  private readonly maxDeliveries: number;
  private supervisor?: Supervisor;
  private current: Envelope | undefined;
  private killer: AbortController | undefined;
  private incarnation = 0;
  private processed = 0;
  private lastError: string | null = null;
  private stopping: Promise<void> | undefined;
  private leaveDirectory: (() => void) | undefined;
  state: AgentStateName = "idle";

  constructor(
    private readonly options: AgentOptions,
    private readonly ownSupervisor: Supervisor | undefined,
  ) {
    this.id = options.id ?? `${options.name}-${++agentSeq}`;
    this.name = options.name;
    this.role = options.role?.name ?? "";
    this.clock = options.clock ?? systemClock();
    this.maxDeliveries = options.maxDeliveries ?? 3;
    if (!Number.isInteger(this.maxDeliveries) || this.maxDeliveries < 1) {
      throw new AgentError("OPTION_INVALID", `agent "${this.id}": maxDeliveries must be a positive integer (got ${String(options.maxDeliveries)})`, this.id);
    }
    this.mounted = mountSkills(`agent "${this.id}"`, options.skills ?? [], options.actions ?? [], options.govern);
    if (options.role) this.module = roleModule(`agent "${this.id}"`, options.role, options.settings ?? {});
    const caps = new Set(this.mounted.capabilities);
    if (this.module) caps.add("run").add(this.role);
    this.capabilities = caps;
    this.mailbox = new Mailbox<Envelope>(options.mailbox, `agent "${this.id}"`);
    if (options.topics?.length && !options.directory) throw new AgentError("OPTION_INVALID", `agent "${this.id}": topics need a directory to subscribe through; start it with directory (an agent system gives one)`, this.id);
    for (const topic of options.topics ?? []) {
      if (!caps.has(topic)) throw new AgentError("OPTION_INVALID", `agent "${this.id}" cannot subscribe to "${topic}": it has no handler for it; add a skill with handlers: { "${topic}": (payload, ctx) => ... }`, this.id);
    }
    if (options.publish) this.throttle = new StateThrottle(options.publish, this.clock, options.publishIntervalMs ?? 250, () => ({ ...this.stats(), at: new Date(this.clock.now()).toISOString() }));
  }

  get load(): number {
    return this.mailbox.depth + this.mailbox.blocked + (this.current ? 1 : 0);
  }

  stats(): AgentStats {
    return {
      agentId: this.id,
      systemId: this.options.systemId ?? null,
      name: this.name,
      role: this.role,
      state: this.state,
      mailboxDepth: this.mailbox.depth + this.mailbox.blocked,
      processed: this.processed,
      restarts: Math.max(0, this.incarnation - 1),
      lastError: this.lastError,
      load: this.load,
    };
  }

  /** Registers with the directory and subscribes to the start topics. */
  async join(): Promise<void> {
    const directory = this.options.directory;
    if (!directory || this.state === "stopped") return;
    this.leaveDirectory = directory.register(this);
    for (const topic of this.options.topics ?? []) await directory.subscribe(this.id, topic);
  }

  attach(supervisor: Supervisor): void {
    this.supervisor = supervisor;
    // A supervisor that gives up (restart intensity exceeded) takes its agents down with it.
    void supervisor.exit.then(() => this.finish());
  }

  send(message: AgentMessage, options: SendOptions = {}): Promise<void> {
    const { envelope, queued } = this.enqueue(message, options, () => undefined, () => undefined, false);
    // A send that never made it into the mailbox ends its span too.
    return queued.catch((error: unknown) => {
      settle(envelope, "reject", error);
      throw error;
    });
  }

  ask<R = unknown>(message: AgentMessage, options: AskOptions = {}): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const done = () => {
        if (timer !== undefined) this.clock.clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
      };
      const { envelope, queued } = this.enqueue(
        message,
        options,
        (v) => (done(), resolve(v as R)),
        (e) => (done(), reject(e)),
        true,
      );
      const onAbort = () => settle(envelope, "reject", options.signal?.reason);
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs !== undefined) {
        timer = this.clock.setTimeout(() => {
          settle(envelope, "reject", new AgentError("TASK_TIMEOUT", `agent "${this.id}": no reply to "${message.type}" within ${options.timeoutMs} ms; its late reply will be discarded`, this.id));
        }, options.timeoutMs);
      }
      queued.catch((error: unknown) => settle(envelope, "reject", error));
    });
  }

  kill(reason: unknown = new AgentError("AGENT_CRASHED", `agent "${this.id}" was killed`, this.id)): void {
    this.killer?.abort(reason);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const sup = this.supervisor;
      if (this.ownSupervisor) await this.ownSupervisor.stop();
      else if (sup && sup.snapshot().state === "running") {
        await sup.terminateChild(this.id).catch(() => undefined);
        await sup.deleteChild(this.id).catch(() => undefined);
      }
      this.finish();
    })();
    return this.stopping;
  }

  // ---- the process --------------------------------------------------------------------------

  /** One incarnation: runs until stopped (normal exit) or a handler throws (a crash). */
  async loop(signal: AbortSignal): Promise<void> {
    const killer = new AbortController();
    this.killer = killer;
    this.incarnation++;
    const live = AbortSignal.any([signal, killer.signal]);
    this.setState("idle");
    for (;;) {
      let envelope: Envelope;
      try {
        envelope = await this.mailbox.take(live);
      } catch (error) {
        if (killer.signal.aborted) return this.crash(undefined, killer.signal.reason);
        if (signal.aborted) return;
        throw error;
      }
      if (envelope.settled) continue;
      const outcome = await this.handle(envelope, live);
      if ("abandoned" in outcome) {
        // The sender stopped waiting (timeout, abort): the handler's signal was aborted, the agent moves on.
        this.setState(this.mailbox.depth > 0 ? "busy" : "idle");
        continue;
      }
      if (outcome.ok) {
        settle(envelope, "resolve", outcome.value);
        this.processed++;
        this.setState(this.mailbox.depth > 0 ? "busy" : "idle");
        continue;
      }
      if (signal.aborted && !killer.signal.aborted) {
        // Stopped mid-message: keep it for the next incarnation (or for finish() to refuse).
        this.mailbox.returnToHead(envelope);
        return;
      }
      if ("refused" in outcome) {
        settle(envelope, "reject", outcome.error);
        this.setState(this.mailbox.depth > 0 ? "busy" : "idle");
        continue;
      }
      return this.crash(envelope, killer.signal.aborted ? killer.signal.reason : outcome.error);
    }
  }

  private async handle(envelope: Envelope, live: AbortSignal): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown } | { ok: false; refused: true; error: unknown } | { abandoned: true }> {
    this.current = envelope;
    envelope.deliveries++;
    this.setState("busy");
    const route = routeMessage(this.id, this.mounted, this.module, envelope.message);
    if (route.kind === "unknown") {
      this.current = undefined;
      return { ok: false, refused: true, error: route.error };
    }
    // The handler's signal: aborted by a stop or kill and, when the sender may give up, by that
    // (settle aborts it). Messages nobody can give up on use the process's signal as it is: no
    // controller or listener per message on the hot path.
    const cancel = envelope.cancellable ? new AbortController() : undefined;
    const onLive = () => cancel?.abort(live.reason);
    if (cancel) {
      envelope.cancel = cancel;
      if (live.aborted) onLive();
      else live.addEventListener("abort", onLive, { once: true });
    }
    const signal = cancel?.signal ?? live;
    const incarnation = this.incarnation;
    const ctx = handlerContext(this, this.options, this.mounted, envelope, signal, (state) => {
      if (this.incarnation === incarnation && this.current === envelope) this.setState(state);
    });
    try {
      const value = await raceAbort(route.run(envelope.message.payload, ctx), signal);
      return { ok: true, value };
    } catch (error) {
      if (envelope.settled && !live.aborted) return { abandoned: true };
      return { ok: false, error };
    } finally {
      if (cancel) live.removeEventListener("abort", onLive);
      envelope.cancel = undefined;
      this.current = undefined;
    }
  }

  /** Records the crash, returns or fails the message in hand, and throws so the supervisor restarts the process. */
  private crash(envelope: Envelope | undefined, error: unknown): never {
    this.lastError = describe(error);
    if (envelope && !envelope.settled) {
      if (envelope.onCrash === "redeliver" && envelope.deliveries < this.maxDeliveries) this.mailbox.returnToHead(envelope);
      else {
        const why = envelope.onCrash === "fail" ? "" : ` (after ${envelope.deliveries} deliveries)`;
        settle(envelope, "reject", new AgentError("AGENT_CRASHED", `agent "${this.id}" crashed handling "${envelope.message.type}"${why}: ${this.lastError}`, this.id, { cause: error }));
      }
    }
    if (this.options.restart === "temporary") {
      this.finish();
    } else this.setState("restarting");
    throw error;
  }

  private enqueue(message: AgentMessage, options: SendOptions & { readonly timeoutMs?: number }, resolve: (v: unknown) => void, reject: (e: unknown) => void, replies: boolean): { envelope: Envelope; queued: Promise<void> } {
    const valid = typeof message?.type === "string" && message.type.length > 0;
    const span = !valid ? undefined : options.underSpan ? externalSpan(options.underSpan) : options.trace ? startMessageSpan(options.trace, { type: message.type, to: this, mode: replies ? "ask" : options.topic !== undefined ? "publish" : "send", payload: message.payload, ...(options.from !== undefined && { from: options.from }), ...(options.topic !== undefined && { topic: options.topic }) }) : undefined;
    const cancellable = replies && (options.timeoutMs !== undefined || options.signal !== undefined);
    const envelope: Envelope = { message, onCrash: options.onCrash ?? "redeliver", cancellable, deliveries: Math.max(0, Math.floor(options.delivered ?? 0)), settled: false, resolve, reject, ...(options.from !== undefined && { from: options.from }), ...(span && { span }) };
    if (!valid) {
      return { envelope, queued: Promise.reject(new AgentError("MESSAGE_INVALID", `agent "${this.id}": a message needs a type, e.g. { type: "run", payload: inputs } (got ${describe(message)})`, this.id)) };
    }
    if (this.state === "stopped") {
      settle(envelope, "reject", this.stoppedError());
      return { envelope, queued: Promise.reject(this.stoppedError()) };
    }
    const queued = this.mailbox.put(envelope, { ...(options.signal && { signal: options.signal }), ...(options.overflow && { overflow: options.overflow }) });
    if (this.state === "idle" && this.current === undefined) this.throttle?.notify();
    return { envelope, queued };
  }

  private setState(next: AgentStateName): void {
    if (this.state === "stopped") return;
    const previous = this.state;
    this.state = next;
    if (previous !== next) this.options.onTransition?.(next, previous);
    this.throttle?.notify();
  }

  /** Stopped for good: refuse what is queued, publish the final state at once. */
  private finish(): void {
    if (this.state === "stopped") return;
    const error = this.stoppedError();
    this.mailbox.close(error);
    for (const envelope of this.mailbox.drain()) settle(envelope, "reject", error);
    this.leaveDirectory?.();
    const previous = this.state;
    this.state = "stopped";
    this.options.onTransition?.("stopped", previous);
    this.throttle?.flush();
  }

  private stoppedError(): AgentError {
    return new AgentError("AGENT_STOPPED", `agent "${this.id}" is stopped; start a new agent or send to another one`, this.id);
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e)),
    );
  });
}
