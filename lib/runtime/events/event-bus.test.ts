import { describe, expect, it } from "vitest";
import { EventBus, EventStreamError, READY, routeEvent, stateKey, type BusEvent } from "./index";
import { agentState, lmCall, runFinished, runStarted, spanFinished } from "./testing-fixtures";

describe("event bus", () => {
  it("delivers emitted events to every subscriber with a sequence number, in order", () => {
    const bus = new EventBus({ validate: true });
    const seen: BusEvent[] = [];
    bus.subscribe((e) => void seen.push(e));
    const start = runStarted();
    expect(bus.emit("run:started", start)).toBe(READY);
    bus.emit("run:finished", runFinished(start.runId));
    expect(seen.map((e) => [e.seq, e.name])).toEqual([
      [1, "run:started"],
      [2, "run:finished"],
    ]);
    expect(seen[0]!.payload).toBe(start);
    expect(seen[0]!.rooms).toBeUndefined();
  });

  it("refuses an invalid payload in development, naming the field and the fix", () => {
    const bus = new EventBus({ validate: true });
    const seen: BusEvent[] = [];
    bus.subscribe((e) => void seen.push(e));
    const bad = { ...lmCall("r1"), costUsd: -1 };
    expect(() => bus.emit("lmcall:recorded", bad)).toThrow(EventStreamError);
    expect(() => bus.emit("lmcall:recorded", bad)).toThrow(/event "lmcall:recorded": costUsd: .*lib\/schemas\/events\.ts/);
    expect(seen).toHaveLength(0);
  });

  it("does not parse payloads in production (validation is the bridge's job there)", () => {
    const bus = new EventBus({ validate: false });
    const seen: BusEvent[] = [];
    bus.subscribe((e) => void seen.push(e));
    bus.emit("lmcall:recorded", { ...lmCall("r1"), costUsd: -1 });
    expect(seen).toHaveLength(1);
  });

  it("hands back a subscriber's back-pressure promise, and all of them when several wait", async () => {
    const bus = new EventBus();
    let releaseA!: () => void;
    let releaseB!: () => void;
    const a = new Promise<void>((r) => (releaseA = r));
    const b = new Promise<void>((r) => (releaseB = r));
    const unsubscribeA = bus.subscribe(() => a);
    bus.subscribe(() => b);
    bus.subscribe(() => READY);
    let done = false;
    const wait = bus.emit("run:started", runStarted()).then(() => (done = true));
    releaseA();
    await new Promise((r) => setTimeout(r, 5));
    expect(done).toBe(false);
    releaseB();
    await wait;
    expect(done).toBe(true);
    unsubscribeA();
  });

  it("publish sends a server message to one explicit room", () => {
    const bus = new EventBus();
    const seen: BusEvent[] = [];
    bus.subscribe((e) => void seen.push(e));
    void bus.publish("breaker:state", "system", { provider: "openai", state: "open", failures: 3, at: new Date().toISOString() });
    expect(seen[0]!.rooms).toEqual(["system"]);
  });
});

describe("routing", () => {
  const r = runStarted({ runId: "run-1", programId: "prog-1" });
  it.each([
    ["run:started", r, ["runs", "runs:run-1", "programs:prog-1"]],
    ["run:finished", runFinished("run-1", { programId: "prog-1" }), ["runs", "runs:run-1", "programs:prog-1"]],
    ["run:finished", runFinished("run-1", { programId: null }), ["runs", "runs:run-1"]],
    ["span:finished", spanFinished("run-1"), ["runs:run-1"]],
    ["lmcall:recorded", lmCall("run-1"), ["costs", "runs:run-1"]],
    ["lmcall:recorded", lmCall(null), ["costs"]],
    ["agent:state", agentState("a1", { systemId: "sys-9" }), ["agents", "agents:sys-9"]],
    ["supervisor:child", { supervisor: "root/jobs", child: "opt", state: "running", restarts: 0, lastError: null, at: "" }, ["agents"]],
    ["breaker:state", { provider: "openai", state: "open", failures: 1, at: "" }, ["system"]],
    ["budget:status", { scope: "global", scopeId: "", period: "day", limitUsd: 1, spentUsd: 0.5, exhausted: false, at: "" }, ["costs"]],
  ] as const)("%s goes to its feature room and its objects' rooms", (name, payload, rooms) => {
    expect(routeEvent({ name, payload } as never)).toEqual(rooms);
  });

  it("sends trials and optimization status to the optimization's room", () => {
    const trial = { optimizationId: "opt-1", number: 3 } as never;
    expect(routeEvent({ name: "trial:finished", payload: trial })).toEqual(["optimizations", "optimizations:opt-1"]);
    expect(routeEvent({ name: "optimization:status", payload: trial })).toEqual(["optimizations", "optimizations:opt-1"]);
  });

  it("gives no object room to an id a room name cannot hold", () => {
    expect(routeEvent({ name: "run:started", payload: runStarted({ runId: "a.b/c", programId: "x".repeat(81) }) })).toEqual(["runs"]);
  });

  it("keys state events by their object and leaves history events unkeyed", () => {
    expect(stateKey({ name: "agent:state", payload: agentState("a1") })).toBe("a1");
    expect(stateKey({ name: "breaker:state", payload: { provider: "p", state: "open", failures: 1, at: "" } })).toBe("p");
    expect(stateKey({ name: "span:finished", payload: spanFinished("r") })).toBeUndefined();
    expect(stateKey({ name: "lmcall:recorded", payload: lmCall("r") })).toBeUndefined();
  });
});
