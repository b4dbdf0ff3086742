// kill -9 in the middle of an optimization, start it again from its checkpoint file: finished
// trials are not run again and the result is the one an uninterrupted run gives.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = path.join(import.meta.dirname, "testing", "crash-run.ts");

function start(file: string, latencyMs: number, killAfterTrials?: number) {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, file, String(latencyMs)], { stdio: ["ignore", "pipe", "inherit"] });
  const lines: string[] = [];
  const done = new Promise<{ lines: string[]; signal: NodeJS.Signals | null }>((resolve) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      lines.push(line);
      if (killAfterTrials !== undefined && lines.filter((l) => l.startsWith("trial")).length === killAfterTrials) child.kill("SIGKILL");
    });
    child.on("exit", (_code, signal) => resolve({ lines, signal }));
  });
  return done;
}

const result = (lines: string[]) => JSON.parse(lines.find((l) => l.startsWith("RESULT "))!.slice(7)) as { config: unknown; best: number; scores: unknown[] };

describe("an optimization killed with SIGKILL", () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it("resumes from its checkpoint without repeating finished trials and ends like an uninterrupted run", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "dspex-crash-"));
    dirs.push(dir);
    const uninterrupted = await start(path.join(dir, "clean.json"), 0);
    expect(uninterrupted.signal).toBeNull();

    const file = path.join(dir, "crashy.json");
    const crashed = await start(file, 5, 6);
    expect(crashed.signal).toBe("SIGKILL");
    expect(crashed.lines.some((l) => l.startsWith("RESULT"))).toBe(false);
    const finishedBeforeCrash = crashed.lines.filter((l) => l.startsWith("trial")).length;

    const resumed = await start(file, 0);
    const replayed = resumed.lines.filter((l) => l.endsWith("replayed")).length;
    // Every trial saved before the kill is replayed, none is run twice; at most the trial whose
    // checkpoint write the kill interrupted is run again.
    expect(replayed).toBeGreaterThanOrEqual(finishedBeforeCrash - 1);
    expect(resumed.lines.filter((l) => l.endsWith("ran")).length + replayed).toBe(result(uninterrupted.lines).scores.length);
    expect(result(resumed.lines)).toEqual(result(uninterrupted.lines));
  }, 120_000);
});
