// The mailbox: FIFO order, back-pressure (wait or fail fast), waiting takers, abort and close.
import { describe, expect, it } from "vitest";
import { AgentError, Mailbox } from "./index";

describe("Mailbox", () => {
  it("hands messages out in arrival order, to takers that were waiting too", async () => {
    const box = new Mailbox<number>({ capacity: 10 });
    const early = box.take();
    for (let i = 1; i <= 5; i++) await box.put(i);
    const got = [await early];
    for (let i = 0; i < 4; i++) got.push(await box.take());
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(box.depth).toBe(0);
  });

  it("a full mailbox makes senders wait, then admits them in order as room frees up", async () => {
    const box = new Mailbox<string>({ capacity: 2 });
    await box.put("a");
    await box.put("b");
    const admitted: string[] = [];
    const c = box.put("c").then(() => admitted.push("c"));
    const d = box.put("d").then(() => admitted.push("d"));
    expect(box.blocked).toBe(2);
    expect(await box.take()).toBe("a");
    await c;
    expect(admitted).toEqual(["c"]);
    expect([await box.take(), await box.take(), await box.take()]).toEqual(["b", "c", "d"]);
    await d;
    expect(admitted).toEqual(["c", "d"]);
  });

  it("fails fast with MAILBOX_FULL when asked to, by default or per put", async () => {
    const box = new Mailbox<number>({ capacity: 1, overflow: "fail" }, 'agent "a"');
    await box.put(1);
    const error = await box.put(2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect(error).toMatchObject({ code: "MAILBOX_FULL", message: expect.stringContaining('agent "a": mailbox full (1 messages)') });
    const waiting = new Mailbox<number>({ capacity: 1 });
    await waiting.put(1);
    await expect(waiting.put(2, { overflow: "fail" })).rejects.toMatchObject({ code: "MAILBOX_FULL" });
  });

  it("an aborted put or take leaves the queue as it was", async () => {
    const box = new Mailbox<number>({ capacity: 1 });
    const takeAbort = new AbortController();
    const take = box.take(takeAbort.signal);
    takeAbort.abort(new Error("gone"));
    await expect(take).rejects.toThrow("gone");
    await box.put(1);
    const putAbort = new AbortController();
    const put = box.put(2, { signal: putAbort.signal });
    putAbort.abort(new Error("no room"));
    await expect(put).rejects.toThrow("no room");
    expect(box.blocked).toBe(0);
    expect(await box.take()).toBe(1);
  });

  it("returnToHead puts an interrupted message first; drain and close empty it for good", async () => {
    const box = new Mailbox<number>();
    await box.put(2);
    box.returnToHead(1);
    expect(await box.take()).toBe(1);
    await box.put(3);
    expect(box.drain()).toEqual([2, 3]);
    const waiting = box.take();
    box.close(new Error("closed"));
    await expect(waiting).rejects.toThrow("closed");
    await expect(box.put(4)).rejects.toThrow("closed");
  });

  it("refuses a capacity that is not a positive integer", () => {
    expect(() => new Mailbox({ capacity: 0 })).toThrow("mailbox capacity must be a positive integer (got 0)");
  });
});
