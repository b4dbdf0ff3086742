// Agents talking to agents through a directory: by name and by capability, request/reply with
// timeouts, publish/subscribe, back-pressure of the receivers' mailboxes, and every message a
// span of the run that caused it.
import { afterEach, describe, expect, it } from "vitest";
import { TraceRecorder } from "../../../dspex";
import { FakeClock, flushPromises } from "../../clock";
import { startSupervisor, type Supervisor } from "../../supervisor";
import { createDirectory, defineSkill, startAgent, type Agent, type AgentOptions, type LocalDirectory } from "../index";

let sup: Supervisor | undefined;
afterEach(async () => {
  await sup?.stop();
  sup = undefined;
});

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function agent(directory: LocalDirectory, options: Omit<AgentOptions, "supervisor" | "directory">): Promise<Agent> {
  sup ??= await startSupervisor({ flags: { intensity: 100 } });
  return startAgent({ ...options, supervisor: sup, directory });
}

describe("agent to agent messaging", () => {
  it("a handler asks another agent by name and by capability and gets its reply; the least loaded capable agent is chosen", async () => {
    const directory = createDirectory({ id: "shop" });
    const held = gate();
    const pricing = defineSkill({ name: "pricing", handlers: { price: async (item, ctx) => (item === "slow" ? (await held.promise, 0) : `${String(item)}@${ctx.agent.id}:${ctx.from ?? "-"}`) } });
    await agent(directory, { name: "pricer", id: "p0", skills: [pricing] });
    await agent(directory, { name: "pricer", id: "p1", skills: [pricing] });
    const clerk = defineSkill({
      name: "clerk",
      handlers: {
        quote: async (item, ctx) => ({
          byName: await ctx.ask("p1", { type: "price", payload: item }),
          byCapability: await ctx.ask({ capability: "price" }, { type: "price", payload: item }),
        }),
      },
    });
    const front = await agent(directory, { name: "clerk", id: "c0", skills: [clerk] });
    // p0 is busy with a slow message: by capability, the idle p1 gets the quote.
    const slow = directory.ask("p0", { type: "price", payload: "slow" });
    await flushPromises();
    expect(await front.ask({ type: "quote", payload: "tea" })).toEqual({ byName: "tea@p1:c0", byCapability: "tea@p1:c0" });
    held.open();
    await slow;
    // By name, among agents sharing it, the least loaded answers.
    expect(directory.resolve("pricer").name).toBe("pricer");
    await expect(directory.ask("nobody", { type: "price" })).rejects.toMatchObject({ code: "UNKNOWN_ADDRESS", message: expect.stringContaining("agents: pricer, clerk") });
    await expect(directory.ask({ capability: "fly" }, { type: "fly" })).rejects.toMatchObject({ code: "NO_CAPABLE_AGENT", message: expect.stringContaining('no agent can do "fly"') });
  });

  it("request/reply times out with TASK_TIMEOUT and the callee's work is cancelled; an agent cannot ask itself", async () => {
    const clock = new FakeClock();
    const directory = createDirectory();
    let cancelled: unknown;
    const slow = defineSkill({ name: "slow", handlers: { think: (_p, ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject((cancelled = ctx.signal.reason)))) } });
    const caller = defineSkill({
      name: "caller",
      handlers: {
        call: (_p, ctx) => ctx.ask("thinker", { type: "think" }, { timeoutMs: 500 }).catch((e: unknown) => (e as { code: string }).code),
        self: (_p, ctx) => ctx.ask("caller", { type: "call" }).catch((e: unknown) => (e as Error).message),
      },
    });
    await agent(directory, { name: "thinker", skills: [slow], clock });
    const a = await agent(directory, { name: "caller", skills: [caller], clock });
    const reply = a.ask({ type: "call" });
    await flushPromises();
    expect(a.state).toBe("waiting");
    await clock.advance(500);
    expect(await reply).toBe("TASK_TIMEOUT");
    expect(cancelled).toMatchObject({ code: "TASK_TIMEOUT" });
    expect(await a.ask({ type: "self" })).toContain("would wait on itself");
  });

  it("publish reaches every subscriber but the publisher, through their mailboxes and with their back-pressure", async () => {
    const directory = createDirectory();
    const seen: string[] = [];
    const hold = gate();
    const news = (name: string) =>
      defineSkill({
        name: `reader-${name}`,
        handlers: {
          news: async (payload, ctx) => {
            if (name === "slow" && payload === "first") await hold.promise;
            seen.push(`${ctx.agent.name}:${String(payload)}:${ctx.from ?? "-"}`);
          },
          announce: (payload, ctx) => ctx.publish("news", payload),
        },
      });
    const publisher = await agent(directory, { name: "pub", skills: [news("pub")], topics: ["news"] });
    await agent(directory, { name: "fast", skills: [news("fast")], topics: ["news"] });
    const slow = await agent(directory, { name: "slow", skills: [news("slow")], topics: ["news"], mailbox: { capacity: 1 } });
    await agent(directory, { name: "deaf", skills: [news("deaf")] });
    expect(directory.subscribers("news").sort()).toEqual([publisher.id, slow.id, expect.stringContaining("fast")].sort());

    expect(await publisher.ask({ type: "announce", payload: "first" })).toBe(2);
    await flushPromises();
    // "slow" holds "first" in hand; "second" fills its one-slot mailbox; "third" must wait for room.
    expect(await directory.publish("news", "second", {})).toBe(3);
    let thirdDone = false;
    const third = directory.publish("news", "third").then((n) => ((thirdDone = true), n));
    await flushPromises();
    expect(thirdDone).toBe(false);
    expect(slow.stats().mailboxDepth).toBe(2);
    // With overflow "fail", a full subscriber simply does not get it.
    expect(await directory.publish("news", "dropped", { overflow: "fail" })).toBe(2);
    hold.open();
    expect(await third).toBe(3);
    await flushPromises();
    expect(seen.filter((s) => s.startsWith("slow:"))).toEqual([`slow:first:${publisher.id}`, "slow:second:-", "slow:third:-"]);
    expect(seen.some((s) => s.startsWith("pub:first"))).toBe(false);
    expect(seen.some((s) => s.startsWith("deaf:"))).toBe(false);

    const unsubscribe = await directory.subscribe(slow.id, "news");
    await unsubscribe();
    expect(directory.subscribers("news")).not.toContain(slow.id);
    await expect(directory.subscribe(slow.id, "weather")).rejects.toMatchObject({ code: "OPTION_INVALID", message: expect.stringContaining("no handler for it") });
    await expect(startAgent({ name: "bad", skills: [news("bad")], topics: ["weather"], directory })).rejects.toMatchObject({ code: "OPTION_INVALID" });
  });

  it("every message is a span of the run that caused it, and the receiver's work nests below it", async () => {
    const directory = createDirectory();
    const tracer = new TraceRecorder();
    const skills = defineSkill({
      name: "chain",
      handlers: {
        start: async (_p, ctx) => {
          const reply = await ctx.ask({ capability: "middle" }, { type: "middle", payload: 1 });
          await ctx.publish("done", reply);
          return reply;
        },
        middle: (n, ctx) => ctx.ask("end", { type: "end", payload: (n as number) + 1 }),
        end: (n) => (n as number) * 10,
        done: () => undefined,
      },
    });
    const first = await agent(directory, { name: "first", skills: [skills] });
    await agent(directory, { name: "middle", skills: [skills] });
    await agent(directory, { name: "end", skills: [skills], topics: ["done"] });
    const root = tracer.startSpan({ name: "run", kind: "program" });
    expect(await first.ask({ type: "start" }, { trace: { tracer, parentSpanId: root } })).toBe(20);
    await flushPromises();
    tracer.endSpan(root, { status: "ok" });
    const messages = tracer.spans.filter((s) => s.kind === "message");
    const byType = (t: string) => messages.find((s) => s.attributes?.type === t)!;
    expect(messages.map((s) => s.name)).toEqual(["start → first", "middle → middle", "end → end", "done → end"]);
    expect(byType("start").parentId).toBe(root);
    expect(byType("middle").parentId).toBe(byType("start").id);
    expect(byType("end").parentId).toBe(byType("middle").id);
    expect(byType("done")).toMatchObject({ parentId: byType("start").id, attributes: { mode: "publish", topic: "done" } });
    expect(byType("middle").attributes).toMatchObject({ mode: "ask", from: first.id });
    expect(messages.every((s) => s.status === "ok")).toBe(true);
    expect(byType("end").outputs).toBe(20);
  });
});
