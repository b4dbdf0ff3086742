// A skill package's actions, run out of this process: a child process started with Node's
// permission model (it reads its own code and installed dependencies; no file writes, child
// processes or workers), the network guard (only declared hosts), and a heap limit. Calls travel
// over IPC; a call past its time limit is cancelled, and if the package does not stop, its process
// is killed and started afresh for the next call. The host's proxies are ordinary actions.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";

import { z } from "zod";
import type { Action, ActionContext } from "../action";
import { AgentError } from "../errors";
import { CHILD_SOURCE } from "./action-host/child-source";
import { GUARD_SOURCE } from "./action-host/guard-source";
import type { ActionPermissions } from "./permissions";


/**
 * The child describes schemas with this process's zod (ESM entry), whatever the package installed.
 * Looked up on first use: the dashboard's bundler turns this lookup into a module number, and its
 * bundle imports this file without ever starting a package.
 */
let zodEntry: string | undefined;
function zodEsmEntry(): string {
  zodEntry ??= path.join(path.dirname(createRequire(import.meta.url).resolve("zod")), "index.js");
  return zodEntry;
}
/** After a cancel, how long a call may take to stop before its process is killed. */
const STOP_GRACE_MS = 500;
/** How long loading a package (and describing its actions) may take. */
const LOAD_TIMEOUT_MS = 15_000;

const JsonSchema = z.record(z.string(), z.unknown());
const DescribedSchema = z.object({
  actions: z.array(
    z.object({
      name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/),
      description: z.string(),
      input: JsonSchema.nullable(),
      output: JsonSchema.nullable(),
      timeoutMs: z.number().nullable(),
      maxCostUsd: z.number().nullable(),
    }),
  ),
  skills: z.array(z.object({ name: z.string(), description: z.string(), actions: z.array(z.string()) })),
  errors: z.array(z.string()),
});
const ResultSchema = z.object({ type: z.literal("result"), id: z.string(), ok: z.boolean(), value: z.unknown().optional(), error: z.string().optional(), costUsd: z.number().min(0) });

export type PackageDescription = z.infer<typeof DescribedSchema>;
export type DescribedAction = PackageDescription["actions"][number];

export interface ActionHostOptions {
  /** The package's folder and entry file (absolute). */
  readonly dir: string;
  readonly entry: string;
  readonly name: string;
  readonly permissions: ActionPermissions;
  /** Where the project's installed packages are (the package may read them, to load its dependencies). */
  readonly nodeModules: string;
}

interface Call {
  readonly resolve: (value: { ok: true; value: unknown; costUsd: number } | { ok: false; error: string; costUsd: number }) => void;
}

/** One package's process: started on first use, restarted after a crash or a call that would not stop. */
export class ActionHost {
  private child: ChildProcess | undefined;
  private ready: Promise<PackageDescription> | undefined;
  private readonly calls = new Map<string, Call>();
  private closed = false;

  constructor(private readonly options: ActionHostOptions) {}

  /** Loads the package in its process and describes its actions and skills. */
  describe(): Promise<PackageDescription> {
    return this.start();
  }

  /** Runs an action; errors (its own, invalid input, time limit, denied access) come back as data. */
  async call(name: string, input: unknown, timeoutMs: number, signal?: AbortSignal): Promise<{ ok: true; value: unknown; costUsd: number } | { ok: false; error: string; costUsd: number }> {
    if (this.closed) return { ok: false, error: `the action host of ${this.options.name} is closed`, costUsd: 0 };
    await this.start();
    const child = this.child!;
    const id = randomUUID();
    return new Promise((resolve) => {
      let killer: NodeJS.Timeout | undefined;
      const cancel = (why: string) => {
        child.send({ type: "cancel", id }, () => undefined);
        killer = setTimeout(() => {
          // The package ignored the cancel: its process goes, the next call starts a fresh one.
          this.finish(id, { ok: false, error: why, costUsd: 0 });
          this.kill(child);
        }, STOP_GRACE_MS);
      };
      const timer = setTimeout(() => cancel(`${name} timed out after ${timeoutMs} ms (the limit ${this.options.name} declares or the action's own)`), timeoutMs);
      const onAbort = () => cancel(`${name} was cancelled: ${signal?.reason instanceof Error ? signal.reason.message : "the caller stopped waiting"}`);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.calls.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          clearTimeout(killer);
          signal?.removeEventListener("abort", onAbort);
          resolve(r);
        },
      });
      child.send({ type: "call", id, name, input }, (err) => {
        if (err) this.finish(id, { ok: false, error: `${name} could not be sent to its process: ${err.message}`, costUsd: 0 });
      });
    });
  }

  /** Proxies: actions that run in the package's process, with its permissions. */
  actions(description: PackageDescription): Action[] {
    return description.actions.map((a) => this.proxy(a));
  }

  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (child) this.kill(child);
  }

  private proxy(a: DescribedAction): Action {
    const limit = Math.min(this.options.permissions.timeoutMs, a.timeoutMs ?? Infinity);
    const input = a.input ? (z.fromJSONSchema(a.input) as z.ZodType) : z.unknown();
    const output = a.output ? (z.fromJSONSchema(a.output) as z.ZodType) : undefined;
    const maxCostUsd = Math.min(this.options.permissions.maxCostUsd, a.maxCostUsd ?? Infinity);
    return Object.freeze({
      name: a.name,
      description: a.description,
      input,
      ...(output && { output }),
      // The host's own deadline is the child's plus the grace to stop, so the child's message wins.
      timeoutMs: limit + STOP_GRACE_MS + 1_000,
      limits: { timeoutMs: limit, maxCostUsd },
      run: async (value: unknown, ctx: ActionContext) => {
        const r = await this.call(a.name, value, limit, ctx.signal);
        if (r.costUsd > 0) ctx.reportCost?.(r.costUsd);
        if (r.costUsd > maxCostUsd) throw new AgentError("TASK_FAILED", `${a.name} spent $${r.costUsd.toFixed(4)}, more than the $${maxCostUsd} it may (declared by ${this.options.name})`, a.name);
        if (!r.ok) throw new Error(r.error);
        return r.value;
      },
    });
  }

  private start(): Promise<PackageDescription> {
    if (this.ready && this.child && this.child.exitCode === null && this.child.signalCode === null) return this.ready;
    const { dir, entry, nodeModules, permissions } = this.options;
    const zod = zodEsmEntry();
    const flags = ["--no-warnings", "--experimental-permission", ...[dir, nodeModules, path.dirname(zod)].map((p) => `--allow-fs-read=${p}`), `--max-old-space-size=${permissions.memoryMb}`];
    const child = spawn(process.execPath, [...flags, "--import", `data:text/javascript,${encodeURIComponent(GUARD_SOURCE)}`, "--input-type=module", "-e", CHILD_SOURCE, "--", entry, zod], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: process.env.NODE_ENV ?? "production", DSPEX_ACTION_NETWORK: JSON.stringify(permissions.network) },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      cwd: dir,
    });
    this.child = child;
    // An idle package process never keeps this one alive (a call's own timer does while it runs).
    child.unref();
    child.channel?.unref();
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2_000)));
    this.ready = new Promise<PackageDescription>((resolve, reject) => {
      const timer = setTimeout(() => (reject(new Error(`${this.options.name} did not load within ${LOAD_TIMEOUT_MS} ms`)), this.kill(child)), LOAD_TIMEOUT_MS);
      child.on("message", (message: unknown) => {
        const m = message as { type?: unknown };
        if (m?.type === "ready") {
          clearTimeout(timer);
          const parsed = DescribedSchema.safeParse(message);
          if (parsed.success) resolve(parsed.data);
          else reject(new Error(`${this.options.name} described its actions wrongly: ${parsed.error.issues[0]!.message}`));
          return;
        }
        const r = ResultSchema.safeParse(message);
        if (r.success) this.finish(r.data.id, r.data.ok ? { ok: true, value: r.data.value, costUsd: r.data.costUsd } : { ok: false, error: r.data.error ?? "failed", costUsd: r.data.costUsd });
      });
      child.once("exit", (code, sig) => {
        clearTimeout(timer);
        const why = `the process of ${this.options.name} ended (${sig ?? `code ${code}`})${stderr.includes("heap") ? ": out of its memory limit" : ""}`;
        reject(new Error(why));
        for (const id of [...this.calls.keys()]) this.finish(id, { ok: false, error: why, costUsd: 0 });
        if (this.child === child) this.child = undefined;
      });
    });
    this.ready.catch(() => undefined);
    return this.ready;
  }

  private finish(id: string, result: Parameters<Call["resolve"]>[0]): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    call.resolve(result);
  }

  private kill(child: ChildProcess): void {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    if (this.child === child) this.child = undefined;
  }
}

