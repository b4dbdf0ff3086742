// The agent system of the cross-process bench: echo agents, and relays that ask an echo agent
// (agent to agent, across processes when the two are placed on different nodes).
import { defineAgentSystem, defineSkill } from "../../lib/runtime/agents";

export const benchSystem = defineAgentSystem({
  name: "bench",
  agents: {
    echo: { count: 4, skills: [defineSkill({ name: "echoing", handlers: { echo: (n) => n } })] },
    relay: { count: 2, skills: [defineSkill({ name: "relaying", handlers: { relay: (n, ctx) => ctx.ask({ capability: "echo" }, { type: "echo", payload: n }) } })] },
  },
  entry: "echo",
  mailbox: { capacity: 10_000 },
});
