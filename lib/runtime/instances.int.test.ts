import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { BACKENDS } from "../db/testing";
import { createLogger } from "../log";
import { failRunsOfDeadInstances, forgetOldInstances, registerInstance, STALE_AFTER_MS } from "./instances";
import { useTestDatabase } from "./store/testing";

const log = createLogger("silent");

describe.each(BACKENDS)("runtime instances on $backend", ({ backend, fresh }) => {
  const t = useTestDatabase(fresh);

  async function runningRun(id: string, instanceId: string | null, startedAt = new Date()): Promise<void> {
    await t.prisma.run.create({ data: { id, traceId: `trace-${id}`, source: "api", status: "running", startedAt, instanceId } });
  }
  const statusOf = async (id: string) => (await t.prisma.run.findUniqueOrThrow({ where: { id } })).status;

  it("fails the running runs of dead instances and keeps those of live ones", async () => {
    const self = await registerInstance(t.db, "server");
    const alive = await registerInstance(t.db, "server", `other-host:4242:${backend}a`);
    const silent = await registerInstance(t.db, "server", `other-host:4343:${backend}b`);
    await t.prisma.runtimeInstance.update({ where: { id: silent.id }, data: { heartbeatAt: new Date(Date.now() - STALE_AFTER_MS - 1_000) } });
    const stopped = await registerInstance(t.db, "server", `other-host:4444:${backend}c`);
    await stopped.stop();
    // A process of this machine that has exited: dead at once, whatever its heartbeat says.
    const exited = await registerInstance(t.db, "server", `${hostname()}:2147483646:${backend}d`);

    await runningRun(`${backend}-self`, self.id);
    await runningRun(`${backend}-alive`, alive.id);
    await runningRun(`${backend}-silent`, silent.id);
    await runningRun(`${backend}-stopped`, stopped.id);
    await runningRun(`${backend}-exited`, exited.id);
    await runningRun(`${backend}-unknown`, "gone-host:1:zz");
    await runningRun(`${backend}-legacy-new`, null);
    await runningRun(`${backend}-legacy-old`, null, new Date(Date.now() - 2 * 3_600_000));

    const failed = await failRunsOfDeadInstances(t.db, self.id, log);

    expect(await statusOf(`${backend}-self`)).toBe("running");
    for (const dead of ["silent", "stopped", "exited", "unknown", "legacy-old"]) expect(await statusOf(`${backend}-${dead}`)).toBe("error");
    // The embedded database has one process: every other instance is dead there.
    expect(await statusOf(`${backend}-alive`)).toBe(backend === "pglite" ? "error" : "running");
    expect(await statusOf(`${backend}-legacy-new`)).toBe(backend === "pglite" ? "error" : "running");
    expect(failed).toBe(backend === "pglite" ? 7 : 5);
    const run = await t.prisma.run.findUniqueOrThrow({ where: { id: `${backend}-exited` } });
    expect(run.error).toMatch(/interrupted/);
    expect(run.endedAt).not.toBeNull();

    // A beat keeps an instance alive; a second pass changes nothing.
    await self.beat();
    expect(await failRunsOfDeadInstances(t.db, self.id, log)).toBe(0);
  });

  it("forgets instances silent for longer than the horizon", async () => {
    const old = await registerInstance(t.db, "worker", `old-host:1:${backend}`);
    await t.prisma.runtimeInstance.update({ where: { id: old.id }, data: { heartbeatAt: new Date(Date.now() - 8 * 86_400_000) } });
    expect(await forgetOldInstances(t.db)).toBeGreaterThanOrEqual(1);
    expect(await t.prisma.runtimeInstance.findUnique({ where: { id: old.id } })).toBeNull();
  });
});
