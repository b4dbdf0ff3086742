// Third-party skill packages run with only what they declare: in a process of their own, reading
// nothing but their code, reaching only their declared hosts, within their time, memory and
// cost limits; and no action runs while it is disabled. Fixtures are packages written to a temp
// node_modules (zod linked from this project), and two local HTTP servers.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActionPolicy, loadSkillRegistry, performAction, startAgent, type ActionUsage, type SkillRegistry } from "../index";

const PACKAGE_JS = `
import { z } from "zod";
import { readFileSync, writeFileSync } from "node:fs";
const text = z.object({ text: z.string().min(1) });
export const skills = [{ name: "loud", description: "shouting", actions: [
  { name: "shout", description: "upper-cases", input: text, output: z.string(), run: ({ text }) => text.toUpperCase() },
] }];
export const actions = [
  { name: "peek", description: "reads a file", input: z.object({ path: z.string() }), run: ({ path }) => readFileSync(path, "utf8") },
  { name: "scribble", description: "writes a file", input: z.object({ path: z.string() }), run: ({ path }) => (writeFileSync(path, "x"), "written") },
  { name: "fetchit", description: "fetches a URL", input: z.object({ url: z.string() }), run: async ({ url }, { signal }) => (await fetch(url, { signal })).status },
  { name: "stall", description: "never stops", input: z.object({}), run: () => { for (;;) {} } },
  { name: "sleepy", description: "stops when asked", input: z.object({}), run: (_, { signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("stopped")))) },
  { name: "spend", description: "reports a cost", input: z.object({ usd: z.number() }), run: ({ usd }, ctx) => (ctx.reportCost(usd), "spent") },
];
`;

let root = "";
let allowed: Server;
let other: Server;
let registry: SkillRegistry;
const usage: ActionUsage[] = [];
const policy = createActionPolicy((name) => registry?.actions.get(name)?.origin.kind !== "package");

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));

beforeAll(async () => {
  allowed = createServer((_req, res) => res.end("ok"));
  other = createServer((_req, res) => res.end("ok"));
  const port = await listen(allowed);
  await listen(other);
  root = await mkdtemp(path.join(tmpdir(), "dspex-market-"));
  const pkg = path.join(root, "node_modules", "dspex-skill-demo");
  await mkdir(path.join(pkg, "dist"), { recursive: true });
  await symlink(path.resolve(import.meta.dirname, "../../../../node_modules/zod"), path.join(root, "node_modules", "zod"));
  await writeFile(path.join(pkg, "package.json"), JSON.stringify({ name: "dspex-skill-demo", version: "1.2.3", type: "module", dspex: { skills: "./dist/index.js", permissions: { network: [`127.0.0.1:${port}`], timeoutMs: 1500, maxCostUsd: 0.1, memoryMb: 64 } } }));
  await writeFile(path.join(pkg, "dist", "index.js"), PACKAGE_JS);
  const bad = path.join(root, "node_modules", "dspex-skill-bad");
  await mkdir(bad, { recursive: true });
  await writeFile(path.join(bad, "package.json"), JSON.stringify({ name: "dspex-skill-bad", dspex: { skills: "./index.js", permissions: { network: ["not a host!"] } } }));
  const handlers = path.join(root, "node_modules", "dspex-skill-handlers");
  await mkdir(handlers, { recursive: true });
  await writeFile(path.join(handlers, "package.json"), JSON.stringify({ name: "dspex-skill-handlers", type: "module", dspex: { skills: "./index.js" } }));
  await writeFile(path.join(handlers, "index.js"), `export const skills = [{ name: "sneaky", actions: [], handlers: { go: () => 1 } }];`);
  registry = await loadSkillRegistry({ programsDir: path.join(root, "programs"), projectRoot: root, governance: { policy, record: (u) => void usage.push(u) } });
});

afterAll(async () => {
  await registry?.close();
  allowed?.close();
  other?.close();
  await rm(root, { recursive: true, force: true });
});

const run = (name: string, input: unknown) => performAction(registry.action(name)!, input);

describe("skill packages", () => {
  it("are listed with their source, version, permissions and schemas; mistakes in package.json name the field", () => {
    expect(registry.packages).toEqual([expect.objectContaining({ name: "dspex-skill-demo", version: "1.2.3", skills: ["loud"], permissions: expect.objectContaining({ timeoutMs: 1500, memoryMb: 64 }) }), expect.objectContaining({ name: "dspex-skill-handlers" })]);
    const shout = registry.actions.get("shout")!;
    expect(shout).toMatchObject({ source: "npm:dspex-skill-demo", skill: "loud", origin: { kind: "package", version: "1.2.3" } });
    expect(shout.input).toMatchObject({ type: "object", properties: { text: { type: "string", minLength: 1 } }, required: ["text"] });
    expect(shout.output).toMatchObject({ type: "string" });
    const messages = registry.errors.map((e) => `${e.source}: ${e.message}`);
    expect(messages).toContainEqual(expect.stringContaining('npm:dspex-skill-bad: package.json: "dspex.permissions.network.0" must be a host name'));
    expect(messages).toContainEqual(expect.stringContaining("npm:dspex-skill-handlers: skill \"sneaky\": message handlers are not available to skill packages"));
  });

  it("are off until enabled: a disabled action fails with ACTION_DISABLED and a clear message", async () => {
    expect(await run("shout", { text: "hi" })).toEqual({ ok: false, error: 'action "shout" is disabled by an administrator; enable it on the Marketplace page to use it' });
    policy.set("shout", true);
    expect(await run("shout", { text: "hi" })).toEqual({ ok: true, value: "HI" });
    expect(await run("shout", { text: "" })).toMatchObject({ ok: false, error: expect.stringContaining("invalid arguments for shout") });
    const agent = await startAgent({ name: "crier", skills: [registry.skill("loud")!] });
    expect(await agent.ask({ type: "shout", payload: { text: "agent" } })).toEqual({ ok: true, value: "AGENT" });
    policy.set("shout", false);
    expect(await agent.ask({ type: "shout", payload: { text: "agent" } })).toMatchObject({ ok: false, error: expect.stringContaining("disabled by an administrator") });
    await agent.stop();
  });

  it("cannot read or write files, and reaches only the hosts it declares", async () => {
    for (const name of ["peek", "scribble", "fetchit"]) policy.set(name, true);
    expect(await run("peek", { path: "/etc/hostname" })).toMatchObject({ ok: false, error: expect.stringMatching(/Access to this API has been restricted|ERR_ACCESS_DENIED|permission/i) });
    expect(await run("peek", { path: path.join(root, "..", "secret.key") })).toMatchObject({ ok: false });
    expect(await run("scribble", { path: path.join(root, "node_modules", "dspex-skill-demo", "x") })).toMatchObject({ ok: false });
    const allowedPort = (allowed.address() as AddressInfo).port;
    const otherPort = (other.address() as AddressInfo).port;
    expect(await run("fetchit", { url: `http://127.0.0.1:${allowedPort}/` })).toEqual({ ok: true, value: 200 });
    expect(await run("fetchit", { url: `http://127.0.0.1:${otherPort}/` })).toMatchObject({ ok: false, error: expect.stringContaining("fetch failed") });
  });

  it("stops at its time limit (a package that ignores the cancel loses its process), and counts calls, errors and cost", async () => {
    for (const name of ["stall", "sleepy", "spend"]) policy.set(name, true);
    usage.length = 0;
    expect(await run("sleepy", {})).toMatchObject({ ok: false, error: "stopped" });
    expect(await run("stall", {})).toMatchObject({ ok: false, error: expect.stringContaining("stall timed out after 1500 ms") });
    // Its process was replaced: the next call works.
    policy.set("shout", true);
    expect(await run("shout", { text: "again" })).toEqual({ ok: true, value: "AGAIN" });
    expect(await run("spend", { usd: 0.05 })).toEqual({ ok: true, value: "spent" });
    expect(await run("spend", { usd: 0.5 })).toMatchObject({ ok: false, error: expect.stringContaining("more than the $0.1 it may") });
    expect(usage.map((u) => [u.action, u.ok, u.costUsd])).toEqual([
      ["sleepy", false, 0],
      ["stall", false, 0],
      ["shout", true, 0],
      ["spend", true, 0.05],
      ["spend", false, 0.5],
    ]);
  });
});
