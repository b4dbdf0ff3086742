// Processes of the serving and reliability benchmarks: the model and the load client as forked
// children speaking over IPC, and a look at another process's CPU time and memory.
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../lib/server-process";

const TICKS_PER_S = 100;

/** Forks a TypeScript file of this folder; resolves with its first message. */
export function child(file: string, env: Record<string, string> = {}): Promise<{ proc: ChildProcess; ready: Record<string, unknown> }> {
  const proc = fork(path.join(import.meta.dirname, file), [], { execArgv: ["--import", "tsx"], stdio: "inherit", env: { ...process.env, ...env } });
  return new Promise((resolve, reject) => {
    proc.once("message", (m) => resolve({ proc, ready: m as Record<string, unknown> }));
    proc.once("exit", (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

/** Sends a message and resolves with the child's next message. */
export function ask<T>(proc: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve) => {
    proc.once("message", (m) => resolve(m as T));
    proc.send(message);
  });
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
}

export function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Two ports: from DSPEX_BENCH_PORT on when set, else any free ones. */
export async function ports(offset = 0): Promise<[number, number]> {
  const base = Number(process.env.DSPEX_BENCH_PORT ?? 0);
  return base ? [base + offset, base + offset + 1] : [await freePort(), await freePort()];
}
