import { describe, expect, it } from "vitest";
import { Predict, createDemoLM } from "../../dspex";
import { BACKENDS } from "../../db/testing";
import { createProgramVersion, getProgram, listDatasetVersions, listProgramVersions, promoteVersion } from "../store";
import { useTestDatabase } from "../store/testing";
import { createProgramRegistry, createProgramResolver, defineServedProgram, demoPrograms, registerProgram, syncPrograms, type ProgramDescription } from "./index";

const userProgram = (description = "user program") =>
  registerProgram(
    defineServedProgram({ name: "echo", description, program: new Predict("question -> answer"), variables: { temperature: [0, 1] } }),
    "user",
    "programs/echo.ts",
  );

describe.each(BACKENDS)("syncing and resolving programs on $backend", ({ fresh }) => {
  const t = useTestDatabase(fresh);

  it("creates each program with version 1 (its defaults, by the system, 'initial') active, and seeds bundled datasets once", async () => {
    const registry = createProgramRegistry([...demoPrograms(), userProgram()]);
    const report = await syncPrograms(t.prisma, registry);
    expect(report.programs.map((p) => [p.name, p.createdInitialVersion, p.seededDataset])).toEqual([
      ["qa", true, true],
      ["classify", true, true],
      ["arithmetic", true, true],
      ["echo", true, false],
    ]);
    const qa = await getProgram(t.prisma, "qa");
    expect(qa).toMatchObject({ source: "demo:qa", versionCount: 1, activeVersion: { number: 1 } });
    const description = qa.signature as ProgramDescription;
    expect(description).toMatchObject({ kind: "demo", module: "Predict", hasDataset: true, hasMetric: true });
    expect(description.shorthand).toMatch(/^context .*question .*-> answer/);
    expect(description.signature?.inputs.map((f) => f.name)).toEqual(["context", "question"]);
    expect(description.variables.map((v) => v.name)).toEqual(registry.require("qa").space.names);

    const [v1] = (await listProgramVersions(t.prisma, { programName: "echo" })).items;
    expect(v1).toMatchObject({ number: 1, authorKind: "system", message: "initial", active: true, parentId: null });
    expect(v1!.config).toEqual(registry.require("echo").space.defaults());

    const qaData = (await listDatasetVersions(t.prisma, { datasetName: "qa" })).items;
    expect(qaData).toHaveLength(1);
    expect(qaData[0]!.splits.train).toBe(registry.require("qa").dataset.filter((e) => e.split === "train").length);
    expect(qaData[0]!.splits.validation).toBeGreaterThan(0);
  });

  it("is idempotent: a second sync (or two at once) adds no version and refreshes descriptions", async () => {
    const registry = createProgramRegistry([...demoPrograms(), userProgram("changed")]);
    const reports = await Promise.all([syncPrograms(t.prisma, registry), syncPrograms(t.prisma, registry)]);
    for (const report of reports) expect(report.programs.every((p) => !p.createdInitialVersion && !p.seededDataset)).toBe(true);
    for (const name of ["qa", "classify", "arithmetic", "echo"]) expect((await getProgram(t.prisma, name)).versionCount).toBe(1);
    expect((await getProgram(t.prisma, "echo")).description).toBe("changed");
    expect((await listDatasetVersions(t.prisma, { datasetName: "qa" })).total).toBe(1);

    // A program no file serves is reported, and left alone.
    const partial = await syncPrograms(t.prisma, createProgramRegistry([userProgram()]));
    expect(partial.unserved).toEqual(["arithmetic", "classify", "qa"]);
  });

  it("two servers syncing a new program at once create exactly one version 1", async () => {
    const twin = registerProgram(defineServedProgram({ name: "twin", program: new Predict("a -> b") }), "user", "programs/twin.ts");
    const registry = createProgramRegistry([twin]);
    const reports = await Promise.all([syncPrograms(t.prisma, registry), syncPrograms(t.prisma, registry), syncPrograms(t.prisma, registry)]);
    expect(reports.filter((r) => r.programs[0]!.createdInitialVersion)).toHaveLength(1);
    expect((await getProgram(t.prisma, "twin")).versionCount).toBe(1);
    expect(new Set(reports.map((r) => r.programs[0]!.activeVersionId)).size).toBe(1);
  });

  it("resolves the active or a pinned version to its Module, cached per version, following promotes", async () => {
    const registry = createProgramRegistry([...demoPrograms(), userProgram()]);
    const resolver = createProgramResolver(t.prisma, registry);
    const active = await resolver.resolveProgram("qa");
    expect(active).toMatchObject({ name: "qa", versionNumber: 1 });
    expect(active.module.kind).toBe("Predict");
    expect(await resolver.resolveProgram("qa")).toBe(active);

    const cot = await createProgramVersion(t.prisma, registry.require("qa").space, { programName: "qa", config: { module: "chain-of-thought", temperature: 0 }, message: "think first" });
    await promoteVersion(t.prisma, cot.id);
    const promoted = await resolver.resolveProgram("qa");
    expect(promoted).toMatchObject({ versionId: cot.id, versionNumber: 2 });
    expect(promoted.module.kind).toBe("ChainOfThought");
    expect((await resolver.resolveProgram("qa", active.versionId)).module.kind).toBe("Predict");
    const qa = registry.require("qa").dataset[0]!;
    const out = await promoted.module.run(qa.inputs, createDemoLM({ seed: 1 }));
    expect(out).toHaveProperty("answer");
    expect(out).toHaveProperty("reasoning");

    const echoV1 = (await resolver.resolveProgram("echo")).versionId;
    await expect(resolver.resolveProgram("qa", echoV1)).rejects.toMatchObject({ code: "NOT_FOUND", issues: [{ field: "versionId" }] });
    await expect(resolver.resolveProgram("nope")).rejects.toMatchObject({ code: "NOT_FOUND", issues: [{ field: "programName" }] });

    // A stored configuration the program's current code no longer accepts.
    const echo = await t.prisma.program.findUniqueOrThrow({ where: { name: "echo" } });
    const stale = await t.prisma.programVersion.create({ data: { programId: echo.id, number: 99, config: { temperature: 9, gone: true }, authorKind: "user" } });
    await expect(resolver.resolveProgram("echo", stale.id)).rejects.toMatchObject({
      code: "INVALID",
      issues: [{ field: "config.gone" }, { field: "config.temperature" }],
      message: expect.stringMatching(/version 99 no longer fits/),
    });
  });

  it("a change of the code's defaults makes a new active version that keeps the values the code did not change; once, however many servers sync it", async () => {
    const edited = (instructions: string, variables: object = { temperature: [0, 1] }) =>
      registerProgram(defineServedProgram({ name: "edited", program: new Predict("question -> answer", { instructions }), variables }), "user", "programs/edited.ts");
    await syncPrograms(t.prisma, createProgramRegistry([edited("Answer.")]));
    const tuned = await createProgramVersion(t.prisma, edited("Answer.").space, { programName: "edited", config: { temperature: 0.3 }, activate: true, message: "tuned" });

    const changed = createProgramRegistry([edited("Answer in one word.")]);
    const reports = await Promise.all([syncPrograms(t.prisma, changed), syncPrograms(t.prisma, changed)]);
    expect(reports.map((r) => r.programs[0]!.createdVersionForChange).filter((n) => n !== undefined)).toEqual([3]);
    const [v3] = (await listProgramVersions(t.prisma, { programName: "edited" })).items;
    expect(v3).toMatchObject({ number: 3, parentId: tuned.id, active: true, authorKind: "system", message: "programs/edited.ts changed: instructions" });
    expect(v3!.config).toMatchObject({ instructions: "Answer in one word.", temperature: 0.3 });
    expect(v3!.diff).toEqual([{ name: "instructions", before: "Answer.", after: "Answer in one word." }]);

    // Nothing changed: no version. A variable removed: a version without it.
    expect((await syncPrograms(t.prisma, changed)).programs[0]!.createdVersionForChange).toBeUndefined();
    const fewer = await syncPrograms(t.prisma, createProgramRegistry([edited("Answer in one word.", { temperature: false })]));
    expect(fewer.programs[0]!.createdVersionForChange).toBe(4);
    const resolver = createProgramResolver(t.prisma, createProgramRegistry([edited("Answer in one word.", { temperature: false })]));
    expect((await resolver.resolveProgram("edited")).config).not.toHaveProperty("temperature");
  });
});
