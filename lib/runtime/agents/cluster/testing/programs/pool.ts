// The agent system of the cluster tests with real worker processes: 12 workers that each take
// a task, work on it for a few tens of milliseconds (cancellable), and say who did it.
import { defineAgentSystem, defineSkill } from "../../../index";

const work = defineSkill({
  name: "work",
  handlers: {
    work: async (task, ctx) => {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 20 + Math.floor(Math.random() * 30));
        ctx.signal.addEventListener("abort", () => (clearTimeout(timer), reject(ctx.signal.reason)), { once: true });
      });
      return { task, agent: ctx.agent.id, pid: process.pid };
    },
  },
});

export default defineAgentSystem({
  name: "pool",
  description: "Twelve workers for the cluster tests",
  agents: { worker: { count: 12, skills: [work] } },
  entry: "work",
  maxDeliveries: 3,
  flags: { intensity: 20, periodMs: 30_000, backoff: { initialMs: 100, maxMs: 2_000, factor: 2, jitter: 0.2 } },
});
