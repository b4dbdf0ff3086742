// The programs area of the API: list, detail (signature, module tree, variable space), versions
// (paged, diff, create), promote and roll back. /programs/{name}/predict belongs to predict-routes.
import type { PrismaClient } from "../../db";
import type { Config } from "../../dspex";
import {
  ActivationViewSchema,
  CreateVersionBodySchema,
  ProgramDetailSchema,
  ProgramListPageSchema,
  ProgramListQuerySchema,
  ProgramNameParamsSchema,
  ProgramVersionPageQuerySchema,
  ProgramVersionPageSchema,
  ProgramVersionParamsSchema,
  ProgramVersionViewSchema,
  VersionDiffPageQuerySchema,
  VersionDiffViewSchema,
  configSchemaFor,
  type ApiErrorField,
  type CreateVersionBody,
  type ProgramListItem,
  type ProgramListQuery,
  type VariableDescription,
} from "../../schemas";
import type { PageQuery } from "../../schemas/pagination";
import { describeModuleTree, describeProgram, describeVariables, type ProgramRegistry, type ProgramResolver, type RegisteredProgram } from "../programs";
import {
  createProgramVersion,
  diffProgramVersions,
  getProgram,
  getProgramVersion,
  listProgramVersions,
  listPrograms,
  promoteVersion,
  rollbackProgram,
  type ProgramSummary,
  type ProgramVersionView,
} from "../store";
import { ServingError } from "./errors";
import { defineRoute, type Caller, type Route } from "./router";
import { invalidRequest } from "./validate";

export interface ProgramsRoutesEnv {
  readonly prisma: PrismaClient;
  readonly registry: ProgramRegistry;
  readonly resolver: ProgramResolver;
  /** Called after a program's active version may have changed (the serving cache forgets it). */
  readonly invalidate: (name: string) => void;
  readonly now?: () => number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
type Stats = ProgramListItem["stats"];

/** Runs of the last 24 hours and the latest run, per program, in two grouped queries. */
async function runStats(prisma: PrismaClient, ids: readonly string[], now: number): Promise<Map<string, Stats>> {
  const where = { programId: { in: [...ids] } };
  const [byStatus, last] = await Promise.all([
    prisma.run.groupBy({ by: ["programId", "status"], where: { ...where, startedAt: { gte: new Date(now - DAY_MS) } }, _count: { _all: true } }),
    prisma.run.groupBy({ by: ["programId"], where, _max: { startedAt: true } }),
  ]);
  const out = new Map<string, { runs: number; errors: number; finished: number; lastRunAt: string | null }>();
  for (const id of ids) out.set(id, { runs: 0, errors: 0, finished: 0, lastRunAt: null });
  for (const row of byStatus) {
    const s = out.get(row.programId ?? "");
    if (!s) continue;
    s.runs += row._count._all;
    if (row.status !== "running") s.finished += row._count._all;
    if (row.status === "error") s.errors += row._count._all;
  }
  for (const row of last) {
    const s = out.get(row.programId ?? "");
    if (s) s.lastRunAt = row._max.startedAt?.toISOString() ?? null;
  }
  return new Map([...out].map(([id, s]) => [id, { runs: s.runs, errors: s.errors, errorRate: s.finished ? s.errors / s.finished : null, lastRunAt: s.lastRunAt }]));
}

function listItem(p: ProgramSummary, registry: ProgramRegistry, stats: Stats | undefined): ProgramListItem {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    source: p.source,
    served: registry.get(p.name) !== undefined,
    activeVersion: p.activeVersion,
    versionCount: p.versionCount,
    stats: stats ?? { runs: 0, errors: 0, errorRate: null, lastRunAt: null },
  };
}

/** Names the people among the versions' authors. */
async function withAuthorNames(prisma: PrismaClient, versions: readonly ProgramVersionView[]) {
  const ids = [...new Set(versions.filter((v) => v.authorKind === "user" && v.authorId).map((v) => v.authorId!))];
  const users = ids.length ? await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.name || u.email]));
  return versions.map((v) => ({ ...v, authorName: v.authorId ? (names.get(v.authorId) ?? null) : null }));
}

function served(registry: ProgramRegistry, name: string): RegisteredProgram {
  const p = registry.get(name);
  if (!p) throw new ServingError("NOT_FOUND", `program "${name}" is not served here (its code is not loaded), so its variables are unknown`, [{ field: "name", message: "is not served here" }]);
  return p;
}

/** A version of the program named in the path (404 when it belongs to another program). */
async function versionOf(prisma: PrismaClient, name: string, id: string): Promise<ProgramVersionView> {
  const v = await getProgramVersion(prisma, id);
  if (v.programName !== name) throw new ServingError("NOT_FOUND", `program "${name}" has no version "${id}"`, [{ field: "id", message: `is a version of "${v.programName}"` }]);
  return v;
}

/** The config checked with the schema the dashboard form uses; fields are named config.<variable>. */
function checkConfig(program: RegisteredProgram, variables: readonly VariableDescription[], config: Config): void {
  const fields: ApiErrorField[] = [];
  if (Object.keys(config).length === 0) fields.push({ field: "config", message: "changes no variable; give at least one variable with its new value" });
  const parsed = configSchemaFor(variables).safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) fields.push({ field: `config.${key}`, message: `is not a variable of program "${program.name}"; variables: ${variables.map((v) => v.name).join(", ")}` });
      } else fields.push({ field: ["config", ...issue.path.map(String)].join("."), message: issue.message });
    }
  }
  if (fields.length) throw invalidRequest(`program "${program.name}": invalid configuration`, fields);
}

function authorOf(caller: Caller): { authorKind: "user" | "system"; authorId: string | null } {
  if (caller.kind === "user") return { authorKind: "user", authorId: caller.user.id };
  return caller.key.userId ? { authorKind: "user", authorId: caller.key.userId } : { authorKind: "system", authorId: null };
}

export function programsRoutes(env: ProgramsRoutesEnv): Route[] {
  const { prisma, registry, resolver } = env;
  const now = env.now ?? Date.now;

  const list = defineRoute<ProgramListQuery, undefined>(
    {
      method: "GET",
      path: "/api/v1/programs",
      operationId: "listPrograms",
      summary: "List programs with their active version and run statistics",
      description: "By name. Each program has its active version, its number of versions, the runs and error rate of the last 24 hours and the time of its last run. Paged: page (1-based), limit (1-100, default 50); search: part of the name.",
      tag: "programs",
      auth: true,
      query: ProgramListQuerySchema,
      success: { status: 200, name: "ProgramListPage", schema: ProgramListPageSchema, description: "One page of programs with the total count." },
      errors: [],
    },
    async ({ query }) => {
      const page = await listPrograms(prisma, query);
      const stats = await runStats(prisma, page.items.map((p) => p.id), now());
      return { status: 200, body: { ...page, items: page.items.map((p) => listItem(p, registry, stats.get(p.id))) } };
    },
  );

  const detail = defineRoute(
    {
      method: "GET",
      path: "/api/v1/programs/{name}",
      operationId: "getProgram",
      summary: "A program: signature, module tree, variable space and active version",
      tag: "programs",
      auth: true,
      params: ProgramNameParamsSchema,
      success: { status: 200, name: "ProgramDetail", schema: ProgramDetailSchema, description: "The program as the dashboard shows it." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const name = params.name!;
      const summary = await getProgram(prisma, name);
      const stats = (await runStats(prisma, [summary.id], now())).get(summary.id);
      const registered = registry.get(name);
      const active = summary.activeVersion ? (await withAuthorNames(prisma, [await getProgramVersion(prisma, summary.activeVersion.id)]))[0]! : null;
      const base = { ...listItem(summary, registry, stats), active };
      if (!registered) {
        return { status: 200, body: { ...base, kind: null, module: null, signature: null, shorthand: null, moduleTree: null, variables: [], constraints: [], hasDataset: false, hasMetric: false } };
      }
      const d = describeProgram(registered);
      // The tree of what is served: the active version's module (its module choices applied).
      const module = active ? await resolver.resolveProgram(name, active.id).then((r) => r.module, () => registered.program) : registered.program;
      const body = {
        ...base,
        kind: d.kind,
        module: d.module,
        signature: d.signature,
        shorthand: d.shorthand,
        moduleTree: describeModuleTree(module),
        variables: describeVariables(registered.space),
        constraints: registered.space.constraints.map((c) => c.description),
        hasDataset: d.hasDataset,
        hasMetric: d.hasMetric,
      };
      return { status: 200, body };
    },
  );

  const versions = defineRoute<PageQuery, undefined>(
    {
      method: "GET",
      path: "/api/v1/programs/{name}/versions",
      operationId: "listProgramVersions",
      summary: "A program's versions, newest first",
      description: "Immutable versions with their configuration, the changes against their parent, author, message and whether each is active. Paged: page (1-based), limit (1-100, default 50).",
      tag: "programs",
      auth: true,
      params: ProgramNameParamsSchema,
      query: ProgramVersionPageQuerySchema,
      success: { status: 200, name: "ProgramVersionPage", schema: ProgramVersionPageSchema, description: "One page of versions with the total count." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, query }) => {
      const page = await listProgramVersions(prisma, { programName: params.name!, ...query });
      return { status: 200, body: { ...page, items: await withAuthorNames(prisma, page.items) } };
    },
  );

  const diff = defineRoute<{ against?: string }, undefined>(
    {
      method: "GET",
      path: "/api/v1/programs/{name}/versions/{id}/diff",
      operationId: "diffProgramVersion",
      summary: "What a version changed",
      description: "The changes, variable by variable, from `against` (a version id of the same program; default: the version's parent) to this version. A first version has no parent and no changes.",
      tag: "programs",
      auth: true,
      params: ProgramVersionParamsSchema,
      query: VersionDiffPageQuerySchema,
      success: { status: 200, name: "ProgramVersionDiff", schema: VersionDiffViewSchema, description: "The two versions and the changes between them." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, query }) => {
      const name = params.name!;
      const to = await versionOf(prisma, name, params.id!);
      const fromId = query.against ?? to.parentId;
      if (!fromId) return { status: 200, body: { from: null, to: { id: to.id, number: to.number }, changes: [] } };
      if (query.against) await versionOf(prisma, name, query.against);
      const result = await diffProgramVersions(prisma, { from: fromId, to: to.id }, registry.get(name)?.space);
      return { status: 200, body: result };
    },
  );

  const create = defineRoute<undefined, CreateVersionBody>(
    {
      method: "POST",
      path: "/api/v1/programs/{name}/versions",
      operationId: "createProgramVersion",
      summary: "Create a version from changed variables",
      description:
        "A new immutable version: the variables given over the parent's values (default parent: the active version), validated against the program's variable space. Errors name each variable as config.<name>. The signed-in person (or the API key's owner) is its author.",
      tag: "programs",
      auth: true,
      params: ProgramNameParamsSchema,
      body: { name: "CreateVersionBody", schema: CreateVersionBodySchema, example: { config: { temperature: 0.2 }, message: "cooler answers" }, limit: "single" },
      success: { status: 201, name: "ProgramVersionView", schema: ProgramVersionViewSchema, description: "The version created." },
      errors: ["NOT_FOUND"],
    },
    async ({ params, body, caller }) => {
      const name = params.name!;
      const program = served(registry, name);
      checkConfig(program, describeVariables(program.space), body.config as Config);
      if (body.parentId) await versionOf(prisma, name, body.parentId);
      const created = await createProgramVersion(prisma, program.space, {
        programName: name,
        config: body.config,
        ...(body.parentId && { parentId: body.parentId }),
        ...authorOf(caller),
        message: body.message ?? "",
        activate: body.activate ?? false,
      });
      if (created.active) env.invalidate(name);
      return { status: 201, body: (await withAuthorNames(prisma, [created]))[0]! };
    },
  );

  const promote = defineRoute(
    {
      method: "POST",
      path: "/api/v1/programs/{name}/versions/{id}/promote",
      operationId: "promoteProgramVersion",
      summary: "Make a version the active one",
      description: "Predictions without a pinned version use it from now on.",
      tag: "programs",
      auth: true,
      params: ProgramVersionParamsSchema,
      success: { status: 200, name: "ProgramActivation", schema: ActivationViewSchema, description: "The active version and the one active before." },
      errors: ["NOT_FOUND"],
    },
    async ({ params }) => {
      const name = params.name!;
      await versionOf(prisma, name, params.id!);
      const result = await promoteVersion(prisma, params.id!);
      env.invalidate(name);
      return { status: 200, body: { ...result, active: (await withAuthorNames(prisma, [result.active]))[0]! } };
    },
  );

  const rollback = defineRoute(
    {
      method: "POST",
      path: "/api/v1/programs/{name}/rollback",
      operationId: "rollbackProgram",
      summary: "Activate the parent of the active version",
      description: "Undoes the last change: the version the active one was derived from becomes active. 409 when the active version has no parent.",
      tag: "programs",
      auth: true,
      params: ProgramNameParamsSchema,
      success: { status: 200, name: "ProgramActivation", schema: ActivationViewSchema, description: "The active version and the one active before." },
      errors: ["NOT_FOUND", "CONFLICT"],
    },
    async ({ params }) => {
      const name = params.name!;
      const result = await rollbackProgram(prisma, name);
      env.invalidate(name);
      return { status: 200, body: { ...result, active: (await withAuthorNames(prisma, [result.active]))[0]! } };
    },
  );

  return [list, detail, versions, diff, create, promote, rollback];
}
