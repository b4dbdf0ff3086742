import { describe, expect, it } from "vitest";
import { Predict, discoverSpace } from "../../dspex";
import { BACKENDS } from "../../db/testing";
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  createProgramVersion,
  diffProgramVersions,
  getActiveVersion,
  getProgram,
  getProgramVersion,
  listProgramVersions,
  listPrograms,
  promoteVersion,
  rollbackProgram,
  upsertProgram,
  type StoreError,
} from "./index";
import { useTestDatabase } from "./testing";

const program = new Predict("question -> answer");
const space = discoverSpace(program, { models: ["gpt-4o-mini", "o3-mini"] });

async function caught(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    return err as StoreError;
  }
  throw new Error("expected a rejection");
}

describe.each(BACKENDS)("program versions on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);
  let n = 0;
  const newProgram = async () => (await upsertProgram(t.prisma, { name: `p${++n}`, description: "", source: "test", signature: null })).name;

  it("creates a first version from the defaults and later versions over their parent, with the diff", async () => {
    const name = await newProgram();
    const v1 = await createProgramVersion(t.prisma, space, { programName: name, config: {}, authorKind: "system", message: "initial", activate: true });
    expect(v1).toMatchObject({ number: 1, parentId: null, diff: [], active: true, authorKind: "system", message: "initial" });
    expect(v1.config).toEqual(space.defaults());

    const v2 = await createProgramVersion(t.prisma, space, { programName: name, config: { temperature: 0.2 }, authorId: "u1", message: "cooler" });
    expect(v2).toMatchObject({ number: 2, parentId: v1.id, active: false, authorKind: "user", authorId: "u1" });
    expect(v2.config).toEqual({ ...space.defaults(), temperature: 0.2 });
    expect(v2.diff).toEqual([{ name: "temperature", before: 0.7, after: 0.2 }]);

    // The parent may be any version; the others keep the parent's values.
    const v3 = await createProgramVersion(t.prisma, space, { programName: name, config: { model: "o3-mini", reasoningEffort: "high" }, parentId: v2.id });
    expect(v3.config).toMatchObject({ temperature: 0.2, model: "o3-mini", reasoningEffort: "high" });
    expect(v3.diff.map((c) => c.name)).toEqual(["model", "reasoningEffort"]);

    // Switching the model off a reasoning model drops the effort that no longer applies.
    const v4 = await createProgramVersion(t.prisma, space, { programName: name, config: { model: "gpt-4o-mini" }, parentId: v3.id });
    expect(v4.config).not.toHaveProperty("reasoningEffort");
    expect(v4.diff).toEqual([
      { name: "model", before: "o3-mini", after: "gpt-4o-mini" },
      { name: "reasoningEffort", before: "high" },
    ]);
    expect((await getActiveVersion(t.prisma, name)).id).toBe(v1.id);
  });

  it("refuses an invalid configuration with one issue per variable, and writes nothing", async () => {
    const name = await newProgram();
    const err = await caught(createProgramVersion(t.prisma, space, { programName: name, config: { temperature: 3, bogus: 1, reasoningEffort: "high" } }));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.code).toBe("INVALID");
    expect(err.issues.map((i) => i.field)).toEqual(["config.bogus", "config.temperature", "config.reasoningEffort"]);
    expect(err.message).toMatch(/temperature.*at most 1\.5/);
    expect(err.message).toMatch(/reasoningEffort.*only applies when "model" is "o3-mini"/);
    expect((await listProgramVersions(t.prisma, { programName: name })).total).toBe(0);

    const badInput = await caught(createProgramVersion(t.prisma, space, { programName: "Not A Name", config: {}, authorKind: "robot" as never }));
    expect(badInput.issues.map((i) => i.field)).toEqual(["programName", "authorKind"]);
    expect(await caught(createProgramVersion(t.prisma, space, { programName: "nope", config: {} }))).toBeInstanceOf(NotFoundError);
    const other = await newProgram();
    const foreign = await createProgramVersion(t.prisma, space, { programName: other, config: {} });
    const wrongParent = await caught(createProgramVersion(t.prisma, space, { programName: name, config: {}, parentId: foreign.id }));
    expect(wrongParent).toMatchObject({ code: "NOT_FOUND", issues: [{ field: "parentId" }] });
  });

  it("keeps exactly one active version through promote and rollback", async () => {
    const name = await newProgram();
    const v1 = await createProgramVersion(t.prisma, space, { programName: name, config: {}, activate: true });
    const v2 = await createProgramVersion(t.prisma, space, { programName: name, config: { temperature: 0.1 } });
    const v3 = await createProgramVersion(t.prisma, space, { programName: name, config: { temperature: 0.3 }, parentId: v2.id });

    const promoted = await promoteVersion(t.prisma, v3.id);
    expect(promoted).toMatchObject({ programName: name, previousId: v1.id, active: { id: v3.id, active: true } });
    const page = await listProgramVersions(t.prisma, { programName: name });
    expect(page.items.map((v) => [v.number, v.active])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);

    // Rollback returns to the version active before the current one was promoted (v1), not to
    // v3's parent (v2), which was never active.
    expect((await rollbackProgram(t.prisma, name)).active.id).toBe(v1.id);
    const none = await caught(rollbackProgram(t.prisma, name));
    expect(none).toBeInstanceOf(ConflictError);
    expect(none.message).toMatch(/version 1 was the first version made active, so there is nothing to roll back to/);
    expect((await getProgram(t.prisma, name)).activeVersion).toEqual({ id: v1.id, number: 1 });
    expect((await getProgramVersion(t.prisma, v3.id)).active).toBe(false);

    // Successive rollbacks step back through the promotions: v1 -> v2 -> v3, then back to v2, then v1.
    await promoteVersion(t.prisma, v2.id);
    await promoteVersion(t.prisma, v3.id);
    expect((await rollbackProgram(t.prisma, name)).active.id).toBe(v2.id);
    expect((await rollbackProgram(t.prisma, name)).active.id).toBe(v1.id);
    // A program whose activations were never recorded (an older database) falls back to the parent.
    await t.prisma.programActivation.deleteMany({ where: { program: { name } } });
    await promoteVersion(t.prisma, v3.id);
    await t.prisma.programActivation.deleteMany({ where: { program: { name } } });
    expect((await rollbackProgram(t.prisma, name)).active.id).toBe(v2.id);

    expect(await caught(promoteVersion(t.prisma, "missing"))).toBeInstanceOf(NotFoundError);
    const fresh = await newProgram();
    expect((await caught(rollbackProgram(t.prisma, fresh))).message).toMatch(/has no active version/);
  });

  it("numbers versions without gaps under concurrent creates", async () => {
    const name = await newProgram();
    const created = await Promise.all([0.1, 0.2, 0.3, 0.4].map((temperature) => createProgramVersion(t.prisma, space, { programName: name, config: { temperature } })));
    expect(created.map((v) => v.number).sort()).toEqual([1, 2, 3, 4]);
  });

  it("pages versions and diffs any two versions of one program", async () => {
    const name = await newProgram();
    const versions = [];
    for (const temperature of [0.1, 0.2, 0.3, 0.4, 0.5]) versions.push(await createProgramVersion(t.prisma, space, { programName: name, config: { temperature }, activate: true }));
    const page2 = await listProgramVersions(t.prisma, { programName: name, page: 2, limit: 2 });
    expect(page2).toMatchObject({ total: 5, page: 2, limit: 2 });
    expect(page2.items.map((v) => v.number)).toEqual([3, 2]);
    const last = await listProgramVersions(t.prisma, { programName: name, page: 3, limit: 2 });
    expect(last.items.map((v) => v.number)).toEqual([1]);

    const d = await diffProgramVersions(t.prisma, { from: versions[0]!.id, to: versions[4]!.id }, space);
    expect(d).toEqual({ from: { id: versions[0]!.id, number: 1 }, to: { id: versions[4]!.id, number: 5 }, changes: [{ name: "temperature", before: 0.1, after: 0.5 }] });
    expect((await diffProgramVersions(t.prisma, { from: versions[2]!.id, to: versions[2]!.id })).changes).toEqual([]);

    const other = await newProgram();
    const foreign = await createProgramVersion(t.prisma, space, { programName: other, config: {} });
    expect(await caught(diffProgramVersions(t.prisma, { from: versions[0]!.id, to: foreign.id }))).toMatchObject({ code: "INVALID", issues: [{ field: "to" }] });
    expect(await caught(listProgramVersions(t.prisma, { programName: name, limit: 500 }))).toMatchObject({ code: "INVALID", issues: [{ field: "limit" }] });
  });

  it("lists programs paged by name with their active version", async () => {
    const all = await listPrograms(t.prisma, { limit: 100 });
    expect(all.total).toBe(n);
    expect(all.items.map((p) => p.name)).toEqual([...all.items.map((p) => p.name)].sort());
    const one = await listPrograms(t.prisma, { search: "P1", limit: 1 });
    expect(one.items[0]!.name).toMatch(/^p1/);
  });
});
