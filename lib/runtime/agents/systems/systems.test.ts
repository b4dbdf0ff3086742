// Declared agent systems in one process: validation that names the field, calls to the entry,
// agents talking through the system's directory, scaling per group, the restart rules, and
// loading them from a programs folder next to served programs.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startSupervisor, type Supervisor } from "../../supervisor";
import { z } from "zod";
import { createActionPolicy, defineAction, defineAgentSystem, defineSkill, loadAgentSystems, resolveAgentSystem, startAgentSystem, startAgentSystems } from "../index";
import { governAction } from "../marketplace";
import { loadProgramRegistry } from "../../programs";

const echo = defineSkill({ name: "echo", handlers: { echo: (p, ctx) => ({ p, by: ctx.agent.id }) } });
const boss = defineSkill({ name: "boss", handlers: { delegate: async (p, ctx) => ctx.ask("helper", { type: "echo", payload: p }) } });

let sup: Supervisor | undefined;
afterEach(async () => {
  await sup?.stop();
  sup = undefined;
});

describe("defineAgentSystem", () => {
  it("refuses mistakes with the field at fault", () => {
    expect(() => defineAgentSystem({ name: "Bad Name", agents: { a: { skills: [echo] } } })).toThrow('"name" must be lowercase');
    expect(() => defineAgentSystem({ name: "x", agents: {} })).toThrow('"agents" must name at least one group');
    expect(() => defineAgentSystem({ name: "x", agents: { a: { count: -1, skills: [echo] } } })).toThrow('"agents.a.count" must be a whole number');
    expect(() => defineAgentSystem({ name: "x", agents: { a: { skills: [echo] } }, entry: "fly" })).toThrow('"entry" "fly" must be a group with a role');
    expect(() => defineAgentSystem({ name: "x", agents: { a: { skills: [echo], topics: ["news"] } } , entry: "echo" })).toThrow('"agents.a.topics" "news" has no handler');
    expect(() => defineAgentSystem({ name: "x", agents: { a: { skills: [echo] } }, entry: "echo", flags: { intensity: -1 } })).toThrow('"flags.intensity"');
    expect(() => defineAgentSystem({ name: "x", agents: { echo: { skills: [echo] }, b: { skills: [echo] } }, entry: "echo" })).toThrow('which is the name of another group');
  });
});

describe("startAgentSystem (in this process)", () => {
  const def = defineAgentSystem({ name: "office", agents: { lead: { skills: [boss] }, helper: { count: 2, skills: [echo] } }, entry: "delegate" });

  it("answers calls at its entry, its agents reaching each other by name, and scales a group", async () => {
    sup = await startSupervisor({ flags: { intensity: 10 } });
    const sys = await startAgentSystem(def, { parent: sup });
    expect(sys.agents().map((a) => a.id)).toEqual(["lead-0", "helper-0", "helper-1"]);
    expect(await sys.call("hi")).toMatchObject({ p: "hi", by: expect.stringMatching(/^helper-/) });
    await sys.scale("helper", 4);
    expect(sys.counts()).toEqual({ lead: 1, helper: 4 });
    await sys.scale("helper", 1);
    expect(sys.agents().map((a) => a.id)).toEqual(["lead-0", "helper-0"]);
    await expect(sys.scale("nobody", 1)).rejects.toThrow('has no group "nobody"');
    await sys.stop();
    expect(sup.snapshot().children.find((c) => c.id === "agent-system:office")).toBeUndefined();
  });

  it("fails as a whole when its agents crash more often than its intensity allows", async () => {
    const crash = defineSkill({ name: "crash", handlers: { boom: () => Promise.reject(new Error("boom")) } });
    const fragile = defineAgentSystem({ name: "fragile", agents: { a: { skills: [crash] } }, entry: "boom", maxDeliveries: 10, flags: { intensity: 2, periodMs: 60_000 } });
    sup = await startSupervisor({ flags: { intensity: 10 } });
    const service = await startAgentSystems({ systems: [{ definition: fragile, source: "test" }], supervisor: sup });
    await expect(service.call("fragile", null)).rejects.toMatchObject({ code: "AGENT_STOPPED" });
    const summary = await service.get("fragile");
    expect(summary.state).toMatch(/^failed: /);
    await expect(service.call("fragile", null)).rejects.toThrow("restart it first");
    await service.restart("fragile");
    expect((await service.get("fragile")).state).toBe("running");
    await service.close();
  });

  it("the embedded service lists, stops, restarts and scales, publishing states under <system>:<agent>", async () => {
    sup = await startSupervisor({ flags: { intensity: 10 } });
    const states: string[] = [];
    const service = await startAgentSystems({ systems: [{ definition: def, source: "programs/office.ts" }], supervisor: sup, publish: (s) => states.push(s.agentId) });
    expect(service.mode).toBe("embedded");
    const [office] = await service.list();
    expect(office).toMatchObject({ name: "office", state: "running", source: "programs/office.ts", groups: [{ name: "lead", count: 1 }, { name: "helper", count: 2 }] });
    expect(states).toContain("office:helper-1");
    await service.scale("office", "helper", 3);
    await service.stop("office");
    expect(await service.get("office")).toMatchObject({ state: "stopped", agents: [] });
    await expect(service.call("office", "x")).rejects.toMatchObject({ code: "AGENT_STOPPED" });
    await service.restart("office");
    expect((await service.get("office")).agents).toHaveLength(4);
    await expect(service.get("nope")).rejects.toMatchObject({ code: "UNKNOWN_ADDRESS" });
    await service.close();
  });
});

describe("installed skills by name", () => {
  it("a system names installed actions; resolved, they run behind the marketplace's gate", async () => {
    const lookup = defineAction({ name: "lookup", description: "finds a word", input: z.object({ word: z.string() }), run: ({ word }) => word.length });
    const policy = createActionPolicy(() => true);
    const governance = { policy };
    const def = defineAgentSystem({ name: "library", agents: { clerk: { actions: ["lookup"] } }, entry: "lookup" });
    expect(() => resolveAgentSystem(def, { skill: () => undefined, action: () => undefined })).toThrow('"agents.clerk.actions" names "lookup", which is not installed');
    const resolved = resolveAgentSystem(def, { skill: () => undefined, action: (n) => (n === "lookup" ? lookup : undefined) });
    sup = await startSupervisor({ flags: { intensity: 10 } });
    const sys = await startAgentSystem(resolved, { parent: sup, govern: (a) => governAction(a, governance) });
    expect(await sys.call({ word: "quill" })).toEqual({ ok: true, value: 5 });
    policy.set("lookup", false);
    expect(await sys.call({ word: "quill" })).toEqual({ ok: false, error: 'action "lookup" is disabled by an administrator; enable it on the Marketplace page to use it' });
    await sys.stop();
  });
});

describe("agent systems in the programs folder", () => {
  let dir = "";
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("loads files that default-export an agent system; the program loader passes over them", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "dspex-systems-"));
    const lib = path.resolve(import.meta.dirname, "../index.ts");
    const system = (name: string) => `import { defineAgentSystem, defineSkill } from ${JSON.stringify(lib)};
export default defineAgentSystem({ name: ${JSON.stringify(name)}, agents: { a: { skills: [defineSkill({ name: "s", handlers: { go: () => 1 } })] } }, entry: "go" });\n`;
    await writeFile(path.join(dir, "desk.ts"), system("desk"));
    await writeFile(path.join(dir, "misnamed.ts"), system("other"));
    await writeFile(path.join(dir, "broken.ts"), "export default {");
    const loaded = await loadAgentSystems({ programsDir: dir });
    expect(loaded.systems.map((s) => s.definition.name)).toEqual(["desk"]);
    expect(loaded.errors.map((e) => e.message)).toEqual([expect.stringContaining("cannot be loaded"), expect.stringContaining('name the file other.ts or the system "misnamed"')]);
    const programs = await loadProgramRegistry({ dir, demos: false });
    expect(programs.errors.map((e) => e.path.split("/").pop())).toEqual(["broken.ts"]);
  });
});
