// task() and service(): ordinary async code as supervised children.
import { describe, expect, it } from "vitest";
import { FakeClock, flushPromises } from "../clock";
import { service, startSupervisor, task, type ChildContext, type ServiceControl } from "./index";

const ctx: ChildContext = { path: "root/t", id: "t", clock: new FakeClock(), random: Math.random };

describe("task", () => {
  it("resolving is a normal exit, rejecting or throwing is an error exit", async () => {
    expect(await (await task(async () => 42)(ctx)).exit).toEqual({ kind: "normal" });
    const boom = new Error("boom");
    expect(await (await task(async () => Promise.reject(boom))(ctx)).exit).toEqual({ kind: "error", error: boom });
    expect(
      await (
        await task(() => {
          throw boom;
        })(ctx)
      ).exit,
    ).toEqual({ kind: "error", error: boom });
  });

  it("stop aborts the signal with the reason, waits for the function, and exits as shutdown", async () => {
    let seen: unknown;
    let finished = false;
    const handle = await task(async (signal) => {
      await new Promise((resolve) => signal.addEventListener("abort", resolve));
      seen = signal.reason;
      await flushPromises();
      finished = true;
      throw signal.reason;
    })(ctx);
    await handle.stop("terminate");
    expect(finished).toBe(true);
    expect(seen).toMatchObject({ name: "AbortError", message: "child stopped by its supervisor (terminate)" });
    expect(await handle.exit).toEqual({ kind: "shutdown" });
  });

  it("passes the child context (path, clock) to the function", async () => {
    let path = "";
    const sup = await startSupervisor({ path: "app", clock: new FakeClock(), children: [{ id: "worker", start: task((_signal, c) => void (path = c.path)), restart: "transient" }] });
    expect(path).toBe("app/worker");
    await sup.stop();
  });
});

describe("service", () => {
  it("builds the resource at start, tears it down on stop, and exits as shutdown", async () => {
    const calls: string[] = [];
    const start = service(
      async () => (calls.push("open"), { name: "server" }),
      async (resource, reason) => void calls.push(`close:${resource.name}:${reason}`),
    );
    const handle = await start(ctx);
    await handle.stop("shutdown");
    await handle.stop("shutdown");
    expect(calls).toEqual(["open", "close:server:shutdown"]);
    expect(await handle.exit).toEqual({ kind: "shutdown" });
  });

  it("ends on its own through fail() (a crash) or done() (normal)", async () => {
    let control!: ServiceControl;
    const start = service(
      (c) => void (control = c),
      () => undefined,
    );
    const crashed = await start(ctx);
    control.fail(new Error("connection lost"));
    control.done();
    expect(await crashed.exit).toEqual({ kind: "error", error: new Error("connection lost") });
    const finished = await start(ctx);
    control.done();
    expect(await finished.exit).toEqual({ kind: "normal" });
  });

  it("a throwing start is a failed start; under a supervisor fail() triggers a restart", async () => {
    await expect(service(() => Promise.reject(new Error("no port")), () => undefined)(ctx)).rejects.toThrow("no port");
    const controls: ServiceControl[] = [];
    const closed: number[] = [];
    const sup = await startSupervisor({
      clock: new FakeClock(),
      children: [{ id: "srv", start: service((c) => controls.push(c), (n) => void closed.push(n)) }],
    });
    controls[0]!.fail(new Error("socket error"));
    await flushPromises();
    expect(controls).toHaveLength(2);
    expect(sup.snapshot().children[0]).toMatchObject({ state: "running", restarts: 1, lastError: "Error: socket error" });
    await sup.stop();
    expect(closed).toEqual([2]);
  });
});
