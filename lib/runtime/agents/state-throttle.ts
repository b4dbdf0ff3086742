// Per-agent throttling of agent:state events: the first change goes out at once, later changes
// within the interval collapse into one trailing event carrying the latest state. Ten thousand
// busy agents then publish at most 10,000 / interval events per second, never one per message.
import type { Clock, TimerHandle } from "../clock";
import type { AgentStateEvent, PublishAgentState } from "./types";

export class StateThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly publish: PublishAgentState,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly read: () => AgentStateEvent,
  ) {}

  /** The state changed: publish now, or once the interval has passed. */
  notify(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastAt + this.intervalMs - this.clock.now();
    if (wait <= 0) return this.emit();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.emit();
    }, wait);
  }

  /** Publishes the current state now (final states such as "stopped" are never held back). */
  flush(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.emit();
  }

  private emit(): void {
    this.lastAt = this.clock.now();
    try {
      this.publish(this.read());
    } catch {
      // A failing listener must not break the agent.
    }
  }
}
