// The skill-package template (packages/dspex-skill-template) as a user installs it: copied into a
// project's node_modules, found by the registry with its declared permissions, off until enabled,
// and its actions working from an agent once enabled.
import { cp, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createActionPolicy, loadSkillRegistry, startAgent, type SkillRegistry } from "../index";

const REPO = path.resolve(import.meta.dirname, "../../../..");
let root = "";
let registry: SkillRegistry;
const policy = createActionPolicy((name) => registry?.actions.get(name)?.origin.kind !== "package");

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "dspex-template-"));
  await mkdir(path.join(root, "node_modules"), { recursive: true });
  await cp(path.join(REPO, "packages/dspex-skill-template"), path.join(root, "node_modules/dspex-skill-template"), { recursive: true });
  await symlink(path.join(REPO, "node_modules/zod"), path.join(root, "node_modules/zod"));
  registry = await loadSkillRegistry({ programsDir: path.join(root, "programs"), projectRoot: root, governance: { policy } });
});
afterAll(async () => {
  await registry?.close();
  await rm(root, { recursive: true, force: true });
});

describe("the skill package template", () => {
  it("installs with its declared permissions, its actions described, and nothing enabled", async () => {
    expect(registry.errors).toEqual([]);
    expect(registry.packages).toEqual([{ name: "dspex-skill-template", version: "0.1.0", skills: ["words"], actions: ["word-count", "slugify", "define-word"], permissions: { network: ["api.dictionaryapi.dev"], timeoutMs: 5000, maxCostUsd: 0, memoryMb: 64 } }]);
    expect(registry.actions.get("word-count")).toMatchObject({ source: "npm:dspex-skill-template", skill: "words", input: { properties: { text: { type: "string" } } }, output: { properties: { words: { type: "integer" } } } });
    const agent = await startAgent({ name: "writer", skills: [registry.skill("words")!] });
    expect(await agent.ask({ type: "slugify", payload: { title: "Hello, Wörld!" } })).toMatchObject({ ok: false, error: expect.stringContaining("disabled by an administrator") });
    policy.set("slugify", true);
    policy.set("word-count", true);
    expect(await agent.ask({ type: "slugify", payload: { title: "Hello, Wörld!" } })).toEqual({ ok: true, value: "hello-world" });
    expect(await agent.ask({ type: "word-count", payload: { text: "one two  three" } })).toEqual({ ok: true, value: { words: 3 } });
    expect(await agent.ask({ type: "word-count", payload: { text: 42 } })).toMatchObject({ ok: false, error: expect.stringContaining("invalid arguments for word-count") });
    await agent.stop();
  });
});
