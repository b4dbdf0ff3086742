// The registry: skills and actions from the programs folder and from installed packages that
// declare them (those run in processes of their own: marketplace/marketplace.test.ts), with broken
// files and packages reported, never fatal. Fixtures live in a temp dir.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSkillRegistry, startAgent } from "./index";

// What defineSkill / defineAction produce, written as plain ES modules (packages ship built JS).
const skillJs = (name: string, handler: string) => `
const skill = Object.freeze(Object.defineProperty({ name: ${JSON.stringify(name)}, actions: [], handlers: { ${handler}: (p) => "${name}:" + p } }, Symbol.for("dspex.skill"), { value: true }));
export const skills = [skill];
`;
const actionJs = (name: string) => `
export const actions = { ${name}: { name: ${JSON.stringify(name)}, description: "d", input: {}, output: {}, run: () => 1 } };
`;
// A package: a skill of actions with zod schemas (packages cannot bring message handlers).
const packageJs = (skill: string, action: string) => `
import { z } from "zod";
export const skills = [{ name: ${JSON.stringify(skill)}, actions: [{ name: ${JSON.stringify(action)}, description: "d", input: z.object({ p: z.string() }), run: ({ p }) => "${skill}:" + p }] }];
`;

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "dspex-skills-"));
  const programs = path.join(root, "programs");
  await mkdir(programs, { recursive: true });
  await writeFile(path.join(programs, "greeting.mjs"), skillJs("greeting", "greet"));
  await writeFile(path.join(programs, "tools.mjs"), actionJs("lookup"));
  await writeFile(path.join(programs, "plain-program.mjs"), "export default { name: 'x' };\n");
  await writeFile(path.join(programs, "broken.mjs"), "export const skills = [;\n");
  await writeFile(path.join(programs, "greeting.test.mjs"), "throw new Error('tests are not loaded');\n");
  await mkdir(path.join(root, "node_modules"), { recursive: true });
  await symlink(path.resolve(import.meta.dirname, "../../../node_modules/zod"), path.join(root, "node_modules", "zod"));
  const pkg = async (dir: string, json: object, files: Record<string, string>) => {
    await mkdir(path.join(root, "node_modules", dir, "dist"), { recursive: true });
    await writeFile(path.join(root, "node_modules", dir, "package.json"), JSON.stringify(json));
    for (const [f, text] of Object.entries(files)) await writeFile(path.join(root, "node_modules", dir, f), text);
  };
  await pkg("dspex-skill-weather", { name: "dspex-skill-weather", type: "module", dspex: { skills: "./dist/skills.js" } }, { "dist/skills.js": packageJs("weather", "forecast") });
  await pkg("@acme/translate", { name: "@acme/translate", type: "module", dspex: { skills: "./dist/skills.js" } }, { "dist/skills.js": packageJs("translate", "translate") });
  await pkg("broken-skill", { name: "broken-skill", type: "module", dspex: { skills: "./dist/missing.js" } }, {});
  await pkg("dupe-skill", { name: "dupe-skill", type: "module", dspex: { skills: "./dist/skills.js" } }, { "dist/skills.js": packageJs("greeting", "hello") });
  await pkg("left-pad", { name: "left-pad" }, {});
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("skill registry", () => {
  it("loads skills and actions from the programs folder and from packages that declare them", async () => {
    const registry = await loadSkillRegistry({ programsDir: path.join(root, "programs"), projectRoot: root });
    expect([...registry.skills.keys()].sort()).toEqual(["greeting", "translate", "weather"]);
    expect([...registry.actions.keys()].sort()).toEqual(["forecast", "lookup", "translate"]);
    expect(registry.skills.get("translate")!.source).toBe("npm:@acme/translate");
    expect(registry.skills.get("greeting")!.source).toMatch(/programs\/greeting\.mjs$/);
    const agent = await startAgent({ name: "polyglot", skills: [registry.skill("greeting")!, registry.skill("weather")!, registry.skill("translate")!] });
    expect(await agent.ask({ type: "greet", payload: "you" })).toBe("greeting:you");
    expect(await agent.ask({ type: "forecast", payload: { p: "paris" } })).toEqual({ ok: true, value: "weather:paris" });
    await agent.stop();
    await registry.close();
  });

  it("reports a broken file, a broken package and a duplicate name, and keeps loading the rest", async () => {
    const registry = await loadSkillRegistry({ programsDir: path.join(root, "programs"), projectRoot: root });
    await registry.close();
    const bySource = Object.fromEntries(registry.errors.map((e) => [e.source.replace(/^.*programs\//, "programs/"), e.message]));
    expect(Object.keys(bySource).sort()).toEqual(["npm:broken-skill", "npm:dupe-skill", "programs/broken.mjs"]);
    expect(bySource["npm:broken-skill"]).toContain("cannot be loaded");
    expect(bySource["npm:dupe-skill"]).toMatch(/skill "greeting" is already registered by .*greeting\.mjs; skipped/);
  });

  it("a missing programs folder and no node_modules give an empty registry", async () => {
    const registry = await loadSkillRegistry({ programsDir: path.join(root, "nope"), projectRoot: path.join(root, "nope") });
    expect(registry.skills.size + registry.actions.size + registry.errors.length).toBe(0);
  });
});
