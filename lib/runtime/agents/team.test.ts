// Teams: routing by capability, balancing, crash and timeout mid-task (reassigned, exactly one
// result), agents joining and leaving while work is under way.
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { startSupervisor, type Supervisor } from "../supervisor";
import { createTeam, defineSkill, startAgent, type Agent, type MessageHandler, type TeamEvent } from "./index";

let sup: Supervisor | undefined;
afterEach(async () => {
  await sup?.stop();
  sup = undefined;
});

async function workers(n: number, handler: MessageHandler, opts: { clock?: FakeClock; name?: string } = {}): Promise<Agent[]> {
  sup ??= await startSupervisor({ flags: { intensity: 100 }, ...(opts.clock && { clock: opts.clock }) });
  const skill = defineSkill({ name: "work", handlers: { work: handler } });
  const out: Agent[] = [];
  for (let i = 0; i < n; i++) out.push(await startAgent({ name: opts.name ?? "worker", id: `${opts.name ?? "w"}${i}`, supervisor: sup, skills: [skill], ...(opts.clock && { clock: opts.clock }) }));
  return out;
}

describe("team", () => {
  it("routes tasks only to agents with the capability, spreading them round-robin", async () => {
    const team = createTeam({ name: "t", balance: "round-robin" });
    for (const a of await workers(3, (p, ctx) => `${ctx.agent.id}:${String(p)}`)) team.join(a);
    const other = await startAgent({ name: "other", supervisor: sup!, skills: [defineSkill({ name: "sing", handlers: { sing: () => "la" } })] });
    team.join(other);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => team.dispatch({ capability: "work", payload: n })));
    expect(results.map((r) => r.agentId)).toEqual(["w0", "w1", "w2", "w0", "w1", "w2"]);
    expect((await team.dispatch({ capability: "sing" })).output).toBe("la");
    await expect(team.dispatch({ capability: "fly" })).rejects.toMatchObject({ code: "NO_CAPABLE_AGENT", message: expect.stringContaining('no agent can do "fly"') });
    expect(team.stats()).toMatchObject({ members: 4, dispatched: 8, completed: 7, failed: 1, inFlight: 0 });
  });

  it("least-loaded balancing sends work to the agent with the shortest mailbox", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const team = createTeam({ name: "t" });
    const [busy, free] = await workers(2, async (p) => (p === "slow" ? held : undefined));
    team.join(busy!);
    const slow = team.dispatch({ capability: "work", payload: "slow" }, { select: () => busy });
    await flushPromises();
    team.join(free!);
    const picks = [];
    for (let i = 0; i < 3; i++) picks.push((await team.dispatch({ capability: "work", payload: i })).agentId);
    expect(picks).toEqual(["w1", "w1", "w1"]);
    release();
    await slow;
  });

  it("a task whose agent crashes mid-task is reassigned and yields exactly one result", async () => {
    const handled: string[] = [];
    const events: TeamEvent[] = [];
    const team = createTeam({ name: "t", balance: "round-robin", onEvent: (e) => events.push(e) });
    for (const a of await workers(3, (p, ctx) => {
      handled.push(ctx.agent.id);
      if (ctx.agent.id === "w0") throw new Error("segfault");
      return `done:${String(p)}`;
    }))
      team.join(a);
    const result = await team.dispatch({ capability: "work", payload: "x", id: "task-1" });
    expect(result).toEqual({ taskId: "task-1", agentId: "w2", attempts: 2, output: "done:x" });
    expect(handled).toEqual(["w0", "w2"]);
    expect(events.filter((e) => e.type === "completed")).toEqual([{ type: "completed", taskId: "task-1", agentId: "w2" }]);
    expect(events.filter((e) => e.type === "reassigned")).toEqual([{ type: "reassigned", taskId: "task-1", fromAgentId: "w0", reason: "AGENT_CRASHED" }]);
    expect(team.stats()).toMatchObject({ completed: 1, reassigned: 1, inFlight: 0 });
    await expect(team.dispatch({ capability: "work", id: "task-1" })).rejects.toThrow('task "task-1" is already done');
  });

  it("an agent killed under load loses no task: every task completes exactly once", async () => {
    const completions = new Map<number, number>();
    const team = createTeam({ name: "t" });
    const pool = await workers(4, async (p) => {
      await flushPromises();
      return p;
    });
    for (const a of pool) team.join(a);
    const tasks = Array.from({ length: 200 }, (_, i) => team.dispatch<number>({ capability: "work", payload: i }).then((r) => completions.set(r.output, (completions.get(r.output) ?? 0) + 1)));
    await flushPromises();
    pool[0]!.kill();
    pool[2]!.kill();
    await Promise.all(tasks);
    expect(completions.size).toBe(200);
    expect([...completions.values()].every((n) => n === 1)).toBe(true);
    expect(team.stats()).toMatchObject({ completed: 200, failed: 0 });
    expect(team.stats().reassigned).toBeGreaterThan(0);
  });

  it("a timed-out agent loses the task to another; its late reply is discarded", async () => {
    const clock = new FakeClock();
    let release!: () => void;
    const stuck = new Promise<void>((r) => (release = r));
    let lateFinished = false;
    const team = createTeam({ name: "t", clock, taskTimeoutMs: 1000, balance: "round-robin" });
    for (const a of await workers(2, async (_p, ctx) => {
      if (ctx.agent.id === "w0") {
        await stuck;
        lateFinished = true;
        return "late";
      }
      return "on time";
    }, { clock }))
      team.join(a);
    const result = team.dispatch({ capability: "work" });
    await flushPromises();
    await clock.advance(1000);
    expect(await result).toMatchObject({ agentId: "w1", attempts: 2, output: "on time" });
    release();
    await flushPromises();
    expect(lateFinished).toBe(true);
    expect(team.stats()).toMatchObject({ completed: 1, reassigned: 1 });
  });

  it("a task waits for a capable agent to join, up to assignTimeoutMs", async () => {
    const clock = new FakeClock();
    const team = createTeam({ name: "t", clock, assignTimeoutMs: 5000 });
    const waiting = team.dispatch({ capability: "work", payload: 7 });
    await flushPromises();
    expect(team.stats().inFlight).toBe(0);
    const [late] = await workers(1, (p) => p, { clock });
    team.join(late!);
    expect(await waiting).toMatchObject({ agentId: "w0", output: 7 });
    const never = team.dispatch({ capability: "sing" }).catch((e: unknown) => e);
    await clock.advance(5000);
    expect(await never).toMatchObject({ code: "NO_CAPABLE_AGENT" });
  });

  it("join and leave during work: a leaving agent finishes what it holds, new tasks go elsewhere; a stopped one's task is reassigned", async () => {
    const gates = new Map<string, () => void>();
    const team = createTeam({ name: "t", balance: "round-robin" });
    const [a, b] = await workers(2, (p, ctx) => new Promise((resolve) => gates.set(`${ctx.agent.id}:${String(p)}`, () => resolve(`${ctx.agent.id}:${String(p)}`))));
    team.join(a!);
    const first = team.dispatch({ capability: "work", payload: 1 });
    await flushPromises();
    team.join(b!);
    team.leave("w0");
    const second = team.dispatch({ capability: "work", payload: 2 });
    await flushPromises();
    expect(team.inFlight().map((t) => t.agentId).sort()).toEqual(["w0", "w1"]);
    gates.get("w0:1")!();
    expect((await first).output).toBe("w0:1");
    const [c] = await workers(1, (p) => `c:${String(p)}`, { name: "c" });
    team.join(c!);
    await b!.stop();
    expect(await second).toMatchObject({ agentId: "c0", output: "c:2", attempts: 2 });
    expect(team.members().map((m) => m.id)).toEqual(["c0"]);
  });

  it("remembers at most rememberTasks finished ids: a repeated recent id is refused, the oldest are forgotten", async () => {
    const team = createTeam({ name: "t", rememberTasks: 3 });
    for (const a of await workers(1, (p) => p)) team.join(a);
    for (let i = 0; i < 1_000; i++) await team.dispatch({ capability: "work", id: `task-${i}`, payload: i });
    await expect(team.dispatch({ capability: "work", id: "task-999" })).rejects.toThrow('task "task-999" is already done');
    await expect(team.dispatch({ capability: "work", id: "task-997" })).rejects.toThrow("already done");
    // Forgotten: accepted again (the set holds 3 ids, not 1,000).
    expect((await team.dispatch({ capability: "work", id: "task-0", payload: "again" })).output).toBe("again");
    await expect(team.dispatch({ capability: "work", id: "task-998" })).rejects.toThrow("already done");
    expect((await team.dispatch({ capability: "work", id: "task-997", payload: 1 })).output).toBe(1);
    expect(() => createTeam({ name: "t", rememberTasks: 0 })).toThrow("rememberTasks must be a positive integer");
  });
});
