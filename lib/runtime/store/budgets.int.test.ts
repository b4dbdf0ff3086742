import { describe, expect, it } from "vitest";
import { BACKENDS } from "../../db/testing";
import { ConflictError, createBudget, deleteBudget, getBudget, listBudgets, updateBudget, upsertProgram, windowStartOf, type StoreError } from "./index";
import { useTestDatabase } from "./testing";

async function caught(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    return err as StoreError;
  }
  throw new Error("expected a rejection");
}

const NOW = new Date("2026-05-17T15:30:00Z");

describe.each(BACKENDS)("budgets on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);

  it("creates, reads, updates and deletes budgets, validated field by field", async () => {
    const b = await createBudget(t.prisma, { scope: "global", period: "month", limitUsd: "25.5" }, NOW);
    expect(b).toMatchObject({ scope: "global", scopeId: "", period: "month", limitUsd: 25.5, spentUsd: 0, remainingUsd: 25.5, exhausted: false, windowStart: "2026-05-01T00:00:00.000Z" });
    expect(await caught(createBudget(t.prisma, { scope: "global", period: "month", limitUsd: 10 }))).toBeInstanceOf(ConflictError);

    const updated = await updateBudget(t.prisma, b.id, { limitUsd: 0.000000001 }, NOW);
    expect(updated.limitUsd).toBe(0.000000001);
    expect((await getBudget(t.prisma, b.id, NOW)).limitUsd).toBe(0.000000001);

    const invalid = await caught(createBudget(t.prisma, { scope: "program", period: "week" as never, limitUsd: -1 }));
    expect(invalid.code).toBe("INVALID");
    expect(invalid.issues.map((i) => i.field).sort()).toEqual(["limitUsd", "period"]);
    expect((await caught(createBudget(t.prisma, { scope: "program", period: "day", limitUsd: 1 }))).issues).toEqual([{ field: "scopeId", message: "must name the program the budget limits" }]);
    expect((await caught(createBudget(t.prisma, { scope: "global", scopeId: "x", period: "day", limitUsd: 1 }))).issues[0]!.field).toBe("scopeId");
    expect((await caught(updateBudget(t.prisma, b.id, { limitUsd: "1.0000000001" }))).issues[0]!.field).toBe("limitUsd");
    expect(await caught(createBudget(t.prisma, { scope: "program", scopeId: "no-such-id", period: "day", limitUsd: 1 }))).toMatchObject({ code: "NOT_FOUND", issues: [{ field: "scopeId" }] });

    await deleteBudget(t.prisma, b.id);
    expect(await caught(getBudget(t.prisma, b.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await caught(deleteBudget(t.prisma, b.id))).toMatchObject({ code: "NOT_FOUND" });
    expect(await caught(updateBudget(t.prisma, b.id, { limitUsd: 1 }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("reads the current window's spend from the SpendLedger", async () => {
    const program = await upsertProgram(t.prisma, { name: "spender", description: "", source: "test", signature: null });
    const daily = await createBudget(t.prisma, { scope: "program", scopeId: program.id, period: "day", limitUsd: 2 }, NOW);
    const total = await createBudget(t.prisma, { scope: "program", scopeId: program.id, period: "total", limitUsd: 5 }, NOW);
    const ledger = (period: "day" | "total", windowStart: Date, spentUsd: string) =>
      t.prisma.spendLedger.upsert({
        where: { scope_scopeId_period_windowStart: { scope: "program", scopeId: program.id, period, windowStart } },
        create: { scope: "program", scopeId: program.id, period, windowStart, spentUsd },
        update: { spentUsd },
      });
    await ledger("day", new Date("2026-05-16T00:00:00Z"), "9.5"); // yesterday: not counted today
    await ledger("day", windowStartOf("day", NOW), "2.000000001");
    await ledger("total", windowStartOf("total", NOW), "3.25");

    const page = await listBudgets(t.prisma, { scope: "program", scopeId: program.id }, NOW);
    expect(page.total).toBe(2);
    const byPeriod = Object.fromEntries(page.items.map((b) => [b.period, b]));
    expect(byPeriod.day).toMatchObject({ id: daily.id, spentUsd: 2.000000001, remainingUsd: 0, exhausted: true, windowStart: "2026-05-17T00:00:00.000Z" });
    expect(byPeriod.total).toMatchObject({ id: total.id, spentUsd: 3.25, remainingUsd: 1.75, exhausted: false, windowStart: "1970-01-01T00:00:00.000Z" });
    // The next day starts a new window.
    expect((await getBudget(t.prisma, daily.id, new Date("2026-05-18T00:00:01Z"))).spentUsd).toBe(0);
  });

  it("starts a new budget from what its scope already spent in the current window, refused calls left out", async () => {
    const program = await upsertProgram(t.prisma, { name: "early-spender", description: "", source: "test", signature: null });
    const call = (costUsd: string, createdAt: Date, extra: { refused?: boolean; programId?: string | null } = {}) =>
      t.prisma.lMCall.create({ data: { provider: "p", model: "m", costUsd, latencyMs: 1, createdAt, programId: program.id, ...extra } });
    await call("0.25", new Date("2026-05-17T08:00:00Z"));
    await call("0.5", new Date("2026-05-17T09:00:00Z"));
    await call("7", new Date("2026-05-17T09:30:00Z"), { refused: true });
    await call("3", new Date("2026-05-16T23:00:00Z")); // yesterday
    await call("4", new Date("2026-05-17T09:00:00Z"), { programId: null }); // another scope
    const daily = await createBudget(t.prisma, { scope: "program", scopeId: program.id, period: "day", limitUsd: 1 }, NOW);
    expect(daily.spentUsd).toBe(0.75);
    const total = await createBudget(t.prisma, { scope: "program", scopeId: program.id, period: "total", limitUsd: 10 }, NOW);
    expect(total.spentUsd).toBe(3.75);
  });
});
