import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withBuildLock } from "./build-lock";

describe("the build lock", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-build-lock-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("waits for another process that holds it, then takes it", async () => {
    const lock = path.join(dir, "build.lock");
    // Another process takes the lock and keeps it until its stdin closes.
    const holder = spawn(process.execPath, ["-e", `require("fs").writeFileSync(${JSON.stringify(lock)}, String(process.pid)); console.log("held"); process.stdin.on("end", () => { require("fs").rmSync(${JSON.stringify(lock)}); process.exit(0); }); process.stdin.resume();`], { stdio: ["pipe", "pipe", "inherit"] });
    await once(holder.stdout!, "data");
    const order: string[] = [];
    const waiting = withBuildLock(lock, async () => {
      order.push("mine");
      return readFile(lock, "utf8");
    });
    order.push("released");
    holder.stdin!.end();
    expect(await waiting).toBe(String(process.pid));
    expect(order).toEqual(["released", "mine"]);
  });

  it("takes over a lock left by a process that died, and removes it when done", async () => {
    const lock = path.join(dir, "build.lock");
    const dead = spawn(process.execPath, ["-e", ""]);
    await once(dead, "exit");
    await writeFile(lock, String(dead.pid));
    expect(await withBuildLock(lock, async () => readFile(lock, "utf8"))).toBe(String(process.pid));
    await expect(readFile(lock, "utf8")).rejects.toThrow(/ENOENT/);
  });
});
