// Agent systems across cluster nodes on the local Redis (several nodes in this process; the
// kill -9 test with real processes is cluster-processes.int.test.ts): placement spread over the
// nodes, work to whichever capable agent is free, request/reply with traces, publish/subscribe,
// back-pressure, timeouts that cancel the remote work, a dead node's agents restarted elsewhere
// with its in-flight messages redelivered, delivery limits, restart intensity, and scaling.
import { afterEach, describe, expect, it } from "vitest";
import { TraceRecorder } from "../../../dspex";
import { removeRedisKeys, TEST_REDIS_URL, testRedisPrefix, waitUntil } from "../../jobs/testing";
import { defineAgentSystem, defineSkill, startClusterNode, type AgentSystemDefinition, type ClusterNode, type ClusterNodeOptions } from "../index";

// Short, but with room for a loaded machine: a node that misses its beats for 2 s is dead.
const FAST = { heartbeatMs: 200, nodeTtlMs: 2_000, tickMs: 100, blockMs: 500 } as const;
let prefix = testRedisPrefix("cluster");
const nodes: ClusterNode[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((n) => n.stop()));
  await removeRedisKeys(prefix);
  prefix = testRedisPrefix("cluster");
});

async function node(systems: AgentSystemDefinition[], options: Partial<ClusterNodeOptions> = {}): Promise<ClusterNode> {
  const n = await startClusterNode({ redisUrl: TEST_REDIS_URL, prefix, systems, ...FAST, ...options });
  nodes.push(n);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const aborted: unknown[] = [];

function poolSystem(options: { count?: number; workMs?: number; maxDeliveries?: number; intensity?: number; capacity?: number } = {}) {
  const work = defineSkill({
    name: "work",
    handlers: {
      work: async (n, ctx) => {
        await new Promise<void>((resolve, reject) => {
          const ms = typeof n === "object" && n !== null && "ms" in n ? Number(n.ms) : (options.workMs ?? 5);
          const t = setTimeout(resolve, ms);
          ctx.signal.addEventListener("abort", () => (clearTimeout(t), aborted.push(ctx.signal.reason), reject(ctx.signal.reason)), { once: true });
        });
        return { n, agent: ctx.agent.id };
      },
    },
  });
  return defineAgentSystem({
    name: "pool",
    agents: { worker: { count: options.count ?? 6, skills: [work] } },
    entry: "work",
    maxDeliveries: options.maxDeliveries ?? 3,
    flags: { intensity: options.intensity ?? 20, periodMs: 30_000, backoff: { initialMs: 50, maxMs: 500, factor: 2, jitter: 0 } },
    ...(options.capacity !== undefined && { mailbox: { capacity: options.capacity } }),
  });
}

const placedOn = async (n: ClusterNode, system: string) => {
  const s = await n.status(system);
  return { placement: s.placement, running: s.running, state: s.state };
};

/** Every agent running, on the node it is placed on, `perNode` of them on each of `nodeCount` nodes. */
const balanced = (total: number, nodeCount: number) => (s: Awaited<ReturnType<typeof placedOn>>) => {
  const running = Object.entries(s.running);
  if (running.length !== total || running.some(([id, r]) => s.placement[id] !== r.node)) return false;
  const per = new Map<string, number>();
  for (const [, r] of running) per.set(r.node, (per.get(r.node) ?? 0) + 1);
  return per.size === nodeCount && Math.max(...per.values()) - Math.min(...per.values()) <= 1;
};

describe("agent systems across cluster nodes", () => {
  it("places the agents over the nodes, least loaded first, and every node's agents take work", async () => {
    const sys = poolSystem({ count: 6, workMs: 20 });
    const [a, b, c] = [await node([sys]), await node([sys]), await node([sys])];
    const client = await node([sys], { host: false, lead: false });
    const status = await waitUntil(() => placedOn(client, "pool"), balanced(6, 3), "6 agents running, 2 per node", 60_000);
    const perNode = Object.values(status.placement).reduce<Record<string, number>>((m, n) => ((m[n] = (m[n] ?? 0) + 1), m), {});
    expect(Object.keys(perNode).sort()).toEqual([a.id, b.id, c.id].sort());
    expect(Object.values(perNode)).toEqual([2, 2, 2]);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => client.call<{ n: number; agent: string }>("pool", i, { timeoutMs: 20_000 })));
    expect(results.map((r) => r.n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(new Set(results.map((r) => r.agent)).size).toBe(6);
    expect(client.stats().replies).toMatchObject({ received: 60, unmatched: 0 });
  });

  it("request/reply between agents on different nodes by name and capability, each message a span with the remote work below it", async () => {
    const desk = defineAgentSystem({
      name: "desk",
      agents: {
        front: { skills: [defineSkill({ name: "front", handlers: { quote: async (item, ctx) => ({ price: await ctx.ask("pricer", { type: "price", payload: item }), stock: await ctx.ask({ capability: "stock" }, { type: "stock", payload: item }) }) } })] },
        pricer: { skills: [defineSkill({ name: "pricing", handlers: { price: (item, ctx) => `${String(item)}:9@${ctx.from ?? "?"}` } })] },
        keeper: { skills: [defineSkill({ name: "keeper", handlers: { stock: (item) => (item === "tea" ? 3 : 0) } })] },
      },
      entry: "quote",
    });
    await node([desk]);
    await node([desk]);
    const client = await node([desk], { host: false, lead: false });
    await waitUntil(() => placedOn(client, "desk"), (s) => Object.keys(s.running).length === 3, "3 agents running", 60_000);
    const tracer = new TraceRecorder();
    const root = tracer.startSpan({ name: "request", kind: "program" });
    expect(await client.call("desk", "tea", { timeoutMs: 10_000, trace: { tracer, parentSpanId: root } })).toEqual({ price: "tea:9@front-0", stock: 3 });
    const byId = new Map(tracer.spans.map((s) => [s.id, s]));
    const messages = tracer.spans.filter((s) => s.kind === "message");
    expect(messages.map((s) => s.attributes?.type).sort()).toEqual(["price", "quote", "stock"]);
    const quote = messages.find((s) => s.attributes?.type === "quote")!;
    expect(quote.parentId).toBe(root);
    for (const t of ["price", "stock"]) expect(byId.get(messages.find((s) => s.attributes?.type === t)!.parentId!)).toBe(quote);
    expect(messages.every((s) => s.status === "ok" && s.endedAt !== undefined)).toBe(true);
    await expect(client.directory("desk").ask("nobody", { type: "x" })).rejects.toMatchObject({ code: "UNKNOWN_ADDRESS" });
  });

  it("publish/subscribe across nodes, through the subscribers' streams", async () => {
    const seen: string[] = [];
    const news = defineAgentSystem({
      name: "news",
      agents: {
        reader: { count: 3, topics: ["headline"], skills: [defineSkill({ name: "read", handlers: { headline: (text, ctx) => void seen.push(`${ctx.agent.id}:${String(text)}`) } })] },
        editor: { skills: [defineSkill({ name: "edit", handlers: { announce: (text, ctx) => ctx.publish("headline", text) } })] },
      },
      entry: "announce",
    });
    await node([news]);
    await node([news]);
    const client = await node([news], { host: false, lead: false });
    await waitUntil(() => placedOn(client, "news"), (s) => Object.keys(s.running).length === 4, "4 agents running", 60_000);
    await waitUntil(async () => (await client.status("news")).running, () => true, "status");
    expect(await client.call("news", "rain", { timeoutMs: 10_000 })).toBe(3);
    await waitUntil(async () => seen.length, (n) => n === 3, "3 deliveries");
    expect(seen.sort()).toEqual(["reader-0:rain", "reader-1:rain", "reader-2:rain"]);
  });

  it("a full mailbox makes the sender wait or fail fast; a timed-out ask cancels the work on the other node", async () => {
    const sys = poolSystem({ count: 1, workMs: 60_000, capacity: 2 });
    await node([sys]);
    const client = await node([sys], { host: false, lead: false });
    await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 1, "the agent running", 60_000);
    aborted.length = 0;
    const hang = client.call("pool", "hang", { timeoutMs: 1_500 }).catch((e: unknown) => e);
    await sleep(300);
    // The agent holds "hang"; two more fill its mailbox (capacity 2): a third waits, or fails fast.
    const queued = [client.call("pool", { ms: 1 }, { timeoutMs: 10_000 }), client.call("pool", { ms: 1 }, { timeoutMs: 10_000 })];
    await sleep(100);
    await expect(client.directory("pool").ask({ capability: "work" }, { type: "work", payload: { ms: 1 } }, { overflow: "fail", timeoutMs: 1_000 })).rejects.toMatchObject({ code: "MAILBOX_FULL" });
    let waitedOut = false;
    const waiting = client.call("pool", { ms: 1 }, { timeoutMs: 10_000 }).then((r) => ((waitedOut = true), r));
    await sleep(200);
    expect(waitedOut).toBe(false);
    // At 1.5 s the sender gives up on "hang": the handler on the other node sees its signal abort
    // (a 60 s job ends at once), and the agent takes what waited.
    expect(await hang).toMatchObject({ code: "TASK_TIMEOUT" });
    await expect(Promise.all([...queued, waiting])).resolves.toHaveLength(3);
    expect(aborted).toEqual([expect.objectContaining({ code: "TASK_TIMEOUT" })]);
  });

  it("a dead node's agents restart on the others and its in-flight messages are redelivered: every task completes exactly once", async () => {
    const sys = poolSystem({ count: 6, workMs: 30 });
    const victim = await node([sys], { lead: false });
    await node([sys]);
    await node([sys]);
    const client = await node([sys], { host: false, lead: false });
    await waitUntil(() => placedOn(client, "pool"), balanced(6, 3), "6 agents running, 2 per node", 60_000);
    const lost = Object.entries((await client.status("pool")).placement).filter(([, n]) => n === victim.id).map(([id]) => id);
    expect(lost.length).toBe(2);
    let done = 0;
    const tasks = Array.from({ length: 150 }, (_, i) => client.call<{ n: number }>("pool", i, { timeoutMs: 60_000 }).then((r) => (done++, r)));
    await waitUntil(async () => done, (d) => d >= 30, "30 tasks done");
    const killedAt = Date.now();
    victim.kill();
    const back = await waitUntil(() => placedOn(client, "pool"), (s) => lost.every((id) => s.running[id] && s.running[id].node !== victim.id), "the dead node's agents running elsewhere", 15_000);
    const backMs = Date.now() - killedAt;
    const results = await Promise.all(tasks);
    expect(results.map((r) => r.n)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(client.stats().replies).toMatchObject({ received: 150, unmatched: 0 });
    expect(backMs).toBeLessThan(10_000);
    expect(Object.values(back.placement)).not.toContain(victim.id);
    const status = await client.status("pool");
    expect(lost.every((id) => status.restarts[id] === 1)).toBe(true);
  });

  it("a message is delivered at most maxDeliveries times: past that its sender gets AGENT_CRASHED", async () => {
    const sys = poolSystem({ count: 1, workMs: 60_000, maxDeliveries: 1 });
    const first = await node([sys], { lead: false });
    const client = await node([sys], { host: false });
    await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 1, "the agent running", 60_000);
    const reply = client.call("pool", "doomed", { timeoutMs: 30_000 }).catch((e: unknown) => e);
    await sleep(300);
    first.kill();
    expect(await reply).toMatchObject({ code: "AGENT_CRASHED", message: expect.stringContaining("delivered 1 times") });
  });

  it("restarts beyond the intensity fail the system; restart() brings it back", async () => {
    const sys = poolSystem({ count: 4, intensity: 1 });
    const victim = await node([sys], { lead: false });
    await node([sys]);
    const client = await node([sys], { host: false, lead: false });
    await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 4, "4 agents running", 60_000);
    victim.kill();
    const failed = await waitUntil(() => placedOn(client, "pool"), (s) => s.state.startsWith("failed"), "the system to fail", 15_000);
    expect(failed.state).toContain("exceed the intensity of 1");
    await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 0, "every agent stopped", 60_000);
    await expect(client.call("pool", 1, { timeoutMs: 300 })).rejects.toMatchObject({ code: "TASK_TIMEOUT" });
    await client.restart("pool");
    await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 4 && s.state === "running", "4 agents running again", 60_000);
    expect(await client.call("pool", 7, { timeoutMs: 10_000 })).toMatchObject({ n: 7 });
  });

  it("scales a group up and down across the nodes", async () => {
    const sys = poolSystem({ count: 2 });
    await node([sys]);
    await node([sys]);
    const client = await node([sys], { host: false, lead: false });
    await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 2, "2 agents running", 60_000);
    await client.scale("pool", "worker", 5);
    const up = await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 5, "5 agents running", 60_000);
    expect(new Set(Object.values(up.placement)).size).toBe(2);
    await client.scale("pool", "worker", 1);
    const down = await waitUntil(() => placedOn(client, "pool"), (s) => Object.keys(s.running).length === 1, "1 agent running", 60_000);
    expect(Object.keys(down.running)).toEqual(["worker-0"]);
    await expect(client.scale("pool", "nobody", 1)).rejects.toMatchObject({ code: "OPTION_INVALID" });
    expect(await client.call("pool", 3, { timeoutMs: 10_000 })).toMatchObject({ n: 3, agent: "worker-0" });
  });
});
