// Agents: message order, state transitions, crash and restart without losing the message,
// skills and actions, the role with an LM, timeouts, stop, and throttled agent:state events.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FakeLM, byFields } from "../../dspex/testing";
import { FakeClock, flushPromises } from "../clock";
import { startSupervisor } from "../supervisor";
import { defineAction, defineSkill, startAgent, type AgentStateEvent, type AgentStateName } from "./index";

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const echo = defineSkill({ name: "echo", handlers: { echo: (payload) => payload } });

describe("agent", () => {
  it("handles messages one at a time, in the order they were sent", async () => {
    const seen: number[] = [];
    let running = 0;
    let most = 0;
    const slow = defineSkill({
      name: "log",
      handlers: {
        log: async (n) => {
          most = Math.max(most, ++running);
          await flushPromises();
          seen.push(n as number);
          running--;
          return n;
        },
      },
    });
    const agent = await startAgent({ name: "logger", skills: [slow], clock: new FakeClock() });
    const replies = await Promise.all([1, 2, 3, 4, 5].map((n) => agent.ask({ type: "log", payload: n })));
    expect(replies).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(1);
    expect(agent.stats()).toMatchObject({ processed: 5, state: "idle", mailboxDepth: 0 });
    await agent.stop();
  });

  it("goes idle -> busy -> waiting -> busy -> idle around a message, and stopped at the end", async () => {
    const states: AgentStateName[] = [];
    const outside = gate();
    const waits = defineSkill({ name: "w", handlers: { wait: (_p, ctx) => ctx.wait(outside.promise).then(() => "done") } });
    const agent = await startAgent({ name: "w", skills: [waits], clock: new FakeClock(), onTransition: (s) => states.push(s) });
    const reply = agent.ask({ type: "wait" });
    await flushPromises();
    expect(agent.state).toBe("waiting");
    outside.open();
    expect(await reply).toBe("done");
    await agent.stop();
    expect(states).toEqual(["busy", "waiting", "busy", "idle", "stopped"]);
    await expect(agent.ask({ type: "wait" })).rejects.toMatchObject({ code: "AGENT_STOPPED" });
  });

  it("a handler that throws crashes the agent; it restarts and the message is handled again, not lost", async () => {
    let calls = 0;
    const flaky = defineSkill({
      name: "flaky",
      handlers: {
        work: (n) => {
          calls++;
          if (calls === 1) throw new Error("transient failure");
          return (n as number) * 2;
        },
      },
    });
    const states: AgentStateName[] = [];
    const agent = await startAgent({ name: "flaky", skills: [flaky], clock: new FakeClock(), onTransition: (s) => states.push(s) });
    expect(await agent.ask({ type: "work", payload: 21 })).toBe(42);
    expect(calls).toBe(2);
    expect(agent.stats()).toMatchObject({ restarts: 1, processed: 1, lastError: "Error: transient failure" });
    expect(states).toEqual(["busy", "restarting", "idle", "busy", "idle"]);
    await agent.stop();
  });

  it("a message that keeps crashing the agent fails its sender after maxDeliveries; later messages go on", async () => {
    const poison = defineSkill({
      name: "p",
      handlers: {
        work: (n) => {
          if (n === "poison") throw new Error("cannot digest");
          return n;
        },
      },
    });
    const agent = await startAgent({ name: "p", skills: [poison], maxDeliveries: 2, clock: new FakeClock(), flags: { intensity: 10 } });
    const bad = agent.ask({ type: "work", payload: "poison" });
    const good = agent.ask({ type: "work", payload: "bread" });
    await expect(bad).rejects.toMatchObject({ code: "AGENT_CRASHED", message: expect.stringContaining("(after 2 deliveries): Error: cannot digest") });
    expect(await good).toBe("bread");
    await agent.stop();
  });

  it("onCrash: fail hands the crash to the sender at once (a team reassigns the task)", async () => {
    let calls = 0;
    const crashy = defineSkill({ name: "c", handlers: { work: () => (calls++, Promise.reject(new Error("boom"))) } });
    const agent = await startAgent({ name: "c", skills: [crashy], clock: new FakeClock() });
    const error = await agent.ask({ type: "work" }, { onCrash: "fail" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "AGENT_CRASHED", reassignable: true });
    expect(calls).toBe(1);
    await flushPromises();
    expect(agent.state).toBe("idle");
    await agent.stop();
  });

  it("kill() crashes the process mid-message; the restarted process handles it again", async () => {
    const first = gate();
    let calls = 0;
    const hang = defineSkill({ name: "h", handlers: { work: async () => (++calls === 1 ? first.promise.then(() => "zombie") : "fresh") } });
    const agent = await startAgent({ name: "h", skills: [hang], clock: new FakeClock() });
    const reply = agent.ask({ type: "work" });
    await flushPromises();
    agent.kill();
    expect(await reply).toBe("fresh");
    first.open();
    await flushPromises();
    expect(agent.stats()).toMatchObject({ processed: 1, restarts: 1 });
    await agent.stop();
  });

  it("a temporary agent stops for good on its first crash and refuses what was queued", async () => {
    const boom = defineSkill({ name: "b", handlers: { work: () => Promise.reject(new Error("boom")) } });
    const agent = await startAgent({ name: "t", skills: [boom], restart: "temporary", clock: new FakeClock() });
    const a = agent.ask({ type: "work" }, { onCrash: "fail" });
    const b = agent.ask({ type: "work" });
    await expect(a).rejects.toMatchObject({ code: "AGENT_CRASHED" });
    await expect(b).rejects.toMatchObject({ code: "AGENT_STOPPED" });
    expect(agent.state).toBe("stopped");
  });

  it("ask with timeoutMs rejects with TASK_TIMEOUT; the agent moves on and a reply that comes later is discarded", async () => {
    const clock = new FakeClock();
    const slow = gate();
    let handled = 0;
    const s = defineSkill({ name: "s", handlers: { work: async () => (await slow.promise, ++handled), quick: () => "quick" } });
    const agent = await startAgent({ name: "s", skills: [s], clock });
    const first = agent.ask({ type: "work" }, { timeoutMs: 100 });
    const firstError = first.catch((e: unknown) => e);
    await clock.advance(100);
    expect(await firstError).toMatchObject({ code: "TASK_TIMEOUT" });
    // The handler ignores its signal and is still at work, yet the agent answers the next message.
    expect(await agent.ask({ type: "quick" })).toBe("quick");
    slow.open();
    await flushPromises();
    expect(handled).toBe(1);
    expect(agent.stats()).toMatchObject({ processed: 1, restarts: 0 });
    await agent.stop();
  });

  it("a timed-out message's handler sees its signal aborted, and an action given that signal stops its work", async () => {
    const clock = new FakeClock();
    let aborted: unknown;
    let steps = 0;
    const crawl = defineAction({
      name: "crawl",
      description: "works in steps until aborted",
      input: z.object({}),
      limits: { timeoutMs: 60_000 },
      run: async (_input, { signal }) => {
        while (!signal.aborted) {
          steps++;
          await clock.sleep(10);
        }
        aborted = signal.reason;
        return "stopped";
      },
    });
    const agent = await startAgent({ name: "c", skills: [defineSkill({ name: "crawler", actions: [crawl] })], clock });
    const reply = agent.ask({ type: "crawl", payload: {} }, { timeoutMs: 100 }).catch((e: unknown) => e);
    await clock.advance(100);
    expect(await reply).toMatchObject({ code: "TASK_TIMEOUT" });
    const at = steps;
    await clock.advance(1_000);
    expect(steps).toBe(at);
    expect(aborted).toMatchObject({ code: "TASK_TIMEOUT" });
    // A queued message whose sender gave up is never handled.
    const hold = gate();
    const blocker = defineSkill({ name: "b", handlers: { hold: () => hold.promise, count: () => ++steps } });
    const other = await startAgent({ name: "o", skills: [blocker], clock });
    const held = other.ask({ type: "hold" });
    const queued = other.ask({ type: "count" }, { timeoutMs: 50 }).catch((e: unknown) => e);
    await clock.advance(50);
    expect(await queued).toMatchObject({ code: "TASK_TIMEOUT" });
    hold.open();
    await held;
    await flushPromises();
    expect(steps).toBe(at);
    await Promise.all([agent.stop(), other.stop()]);
  });

  it("performs a skill's actions by name, answers unknown messages with UNKNOWN_MESSAGE without crashing", async () => {
    const add = defineAction({ name: "add", description: "adds", input: z.object({ a: z.number(), b: z.number() }), output: z.number(), run: ({ a, b }) => a + b });
    const math = defineSkill({ name: "math", actions: [add] });
    const agent = await startAgent({ name: "m", skills: [math, echo], clock: new FakeClock() });
    expect([...agent.capabilities].sort()).toEqual(["add", "echo", "math"]);
    expect(await agent.ask({ type: "add", payload: { a: 2, b: 3 } })).toEqual({ ok: true, value: 5 });
    expect(await agent.ask({ type: "add", payload: { a: "x" } })).toMatchObject({ ok: false });
    await expect(agent.ask({ type: "fly" })).rejects.toMatchObject({ code: "UNKNOWN_MESSAGE", message: expect.stringContaining("it handles: echo, add") });
    expect(agent.stats().restarts).toBe(0);
    await agent.stop();
  });

  it("refuses two skills handling the same message type", async () => {
    const other = defineSkill({ name: "echo2", handlers: { echo: () => 1 } });
    await expect(startAgent({ name: "x", skills: [echo, other] })).rejects.toThrow('skills "echo" and "echo2" both handle "echo"');
  });

  it("runs its role (a signature made into a Predict) with its own LM settings on run messages", async () => {
    const lm = new FakeLM(byFields((inputs) => ({ answer: `A:${inputs.question}` })));
    const agent = await startAgent({ name: "qa", role: { name: "answerer", signature: "question -> answer", instructions: "Answer briefly." }, lm, settings: { temperature: 0.1 }, clock: new FakeClock() });
    expect(agent.capabilities.has("answerer")).toBe(true);
    expect(await agent.ask({ type: "run", payload: { question: "why?" } })).toEqual({ answer: "A:why?" });
    expect(lm.requests[0]).toMatchObject({ temperature: 0.1 });
    expect(lm.requests[0]!.messages[0]!.content).toContain("Answer briefly.");
    await agent.stop();
  });

  it("publishes agent:state at most once per interval per agent, the latest state last", async () => {
    const clock = new FakeClock();
    const events: AgentStateEvent[] = [];
    const agent = await startAgent({ name: "pub", skills: [echo], clock, publish: (e) => events.push(e), publishIntervalMs: 250, systemId: "sys-1" });
    for (let i = 0; i < 50; i++) await agent.ask({ type: "echo", payload: i });
    expect(events).toHaveLength(1);
    await clock.advance(250);
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({ agentId: agent.id, systemId: "sys-1", name: "pub", state: "idle", processed: 50, mailboxDepth: 0, at: "2026-01-01T00:00:00.250Z" });
    await agent.stop();
    expect(events.at(-1)).toMatchObject({ state: "stopped" });
  });

  it("runs as a child of a given supervisor, which restarts it", async () => {
    const sup = await startSupervisor({ clock: new FakeClock(), flags: { intensity: 5 } });
    const agent = await startAgent({ name: "child", id: "child-1", supervisor: sup, skills: [echo] });
    expect(sup.snapshot().children.map((c) => c.id)).toEqual(["child-1"]);
    agent.kill();
    await flushPromises();
    expect(sup.snapshot().children[0]).toMatchObject({ restarts: 1, state: "running" });
    expect(await agent.ask({ type: "echo", payload: "still here" })).toBe("still here");
    await agent.stop();
    expect(sup.snapshot().children).toEqual([]);
    await sup.stop();
  });
});
