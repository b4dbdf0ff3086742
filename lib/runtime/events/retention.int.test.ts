import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../../db";
import { BACKENDS, type TestDatabase } from "../../db/testing";
import { EventStreamError, EventWriter, pruneOlderThan, retentionCutoffs } from "./index";
import { agentState, lmCall, runFinished, runStarted, spanFinished } from "./testing-fixtures";

const DAY = 86_400_000;

describe("retention policy", () => {
  it("counts days back from now, spans and LM calls defaulting to the runs' period", () => {
    const now = Date.UTC(2026, 0, 31);
    expect(retentionCutoffs({ runsDays: 30, spansDays: 7 }, now)).toEqual({
      runs: new Date(now - 30 * DAY),
      spans: new Date(now - 7 * DAY),
      lmCalls: new Date(now - 30 * DAY),
      agentEvents: new Date(now - 7 * DAY),
    });
    expect(() => retentionCutoffs({ runsDays: 0 })).toThrow(EventStreamError);
    expect(() => retentionCutoffs({ runsDays: 0 })).toThrow(/runsDays/);
  });
});

describe.each(BACKENDS)("pruneOlderThan on $backend", ({ fresh }) => {
  let t: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    t = await fresh();
    db = await openDatabase(t.config);
  });
  afterAll(async () => {
    await db?.close();
    await t?.destroy();
  });

  const count = async (table: string) => (await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n;

  it("deletes old runs (with their spans and LM calls), old LM calls and agent events in batches, and keeps the rest", async () => {
    const now = Date.now();
    const iso = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    const w = new EventWriter({ sql: db.sql, log: pino({ level: "silent" }) });
    const run = async (daysAgo: number, spans: number, calls: number) => {
      const start = runStarted({ startedAt: iso(daysAgo) });
      await w.publish({ name: "run:started", payload: start });
      for (let i = 0; i < spans; i++) await w.publish({ name: "span:finished", payload: spanFinished(start.runId, { startedAt: iso(daysAgo), endedAt: iso(daysAgo) }) });
      for (let i = 0; i < calls; i++) await w.publish({ name: "lmcall:recorded", payload: lmCall(start.runId, { at: iso(daysAgo) }) });
      await w.publish({ name: "run:finished", payload: runFinished(start.runId, { endedAt: iso(daysAgo) }) });
      return start.runId;
    };
    const old = [await run(40, 3, 2), await run(35, 3, 2)];
    const middle = await run(10, 4, 1); // runs kept, spans older than spansDays go
    const recent = await run(1, 2, 2);
    for (let i = 0; i < 3; i++) await w.publish({ name: "lmcall:recorded", payload: lmCall(null, { at: iso(45) }) }); // outside any run
    await w.publish({ name: "agent:state", payload: agentState("agent-1", { at: iso(9) }) });
    await w.publish({ name: "agent:state", payload: agentState("agent-1", { at: iso(8) }) });
    await w.publish({ name: "agent:state", payload: agentState("agent-1", { at: iso(0) }) });
    await w.stop();
    expect(w.stats().deadLetters).toBe(0);

    const report = await pruneOlderThan(db.sql, retentionCutoffs({ runsDays: 30, spansDays: 7, agentEventsDays: 7 }, now), { batchSize: 2 });
    expect(report).toMatchObject({ spans: 3 + 3 + 4, lmCalls: 2 + 2 + 3, runs: 2, agentEvents: 2 });
    // Batches of 2, each a bounded delete: spans 2+2+2+2+2+0, LM calls 2+2+2+1, runs 2+0, agent events 2+0.
    expect(report.statements).toBe(6 + 4 + 2 + 2);

    const runs = await db.prisma.run.findMany({ select: { id: true } });
    expect(runs.map((r) => r.id).sort()).toEqual([middle, recent].sort());
    expect(old.every((id) => !runs.some((r) => r.id === id))).toBe(true);
    expect(await count("Span")).toBe(2);
    expect(await count("LMCall")).toBe(3);
    expect(await count("AgentEvent")).toBe(1);
    expect(await count("Agent")).toBe(1);

    expect(await pruneOlderThan(db.sql, retentionCutoffs({ runsDays: 30, spansDays: 7 }, now))).toMatchObject({ spans: 0, lmCalls: 0, runs: 0, agentEvents: 0 });
  });
});
