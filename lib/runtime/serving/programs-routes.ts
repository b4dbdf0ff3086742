// The programs area of the API: list, detail (signature, module tree, variable space), versions
// (paged, diff, create), promote and roll back. /programs/{name}/predict belongs to predict-routes.
import type { Config } from "../../dspex";
import { configSchemaFor, type ApiErrorField, type VariableDescription } from "../../schemas";
import { describeVariables, type ProgramRegistry, type ProgramResolver, type RegisteredProgram } from "../programs";
import { listProgramsWithStats, readProgram } from "../services";
import type { ProgramVersionView, Store } from "../store";
import { ServingError } from "./errors";
import { routes } from "../../api/routes";
import { implement, type Caller, type Route } from "./router";
import { invalidRequest } from "./validate";

export interface ProgramsRoutesEnv {
  readonly store: Pick<
    Store,
    "listPrograms" | "getProgram" | "programRunStats" | "withAuthorNames" | "getProgramVersion" | "listProgramVersions" | "diffProgramVersions" | "createProgramVersion" | "promoteVersion" | "rollbackProgram" | "rollbackTarget"
  >;
  readonly registry: ProgramRegistry;
  readonly resolver: ProgramResolver;
  /** Called after a program's active version may have changed (the serving cache forgets it). */
  readonly invalidate: (name: string) => void;
  readonly now?: () => number;
  /** Only people (maintainers, administrators) promote and roll back; API keys are refused. */
  readonly protectProduction?: boolean;
}

function served(registry: ProgramRegistry, name: string): RegisteredProgram {
  const p = registry.get(name);
  if (!p) throw new ServingError("NOT_FOUND", `program "${name}" is not served here (its code is not loaded), so its variables are unknown`, [{ field: "name", message: "is not served here" }]);
  return p;
}

/** A version of the program named in the path (404 when it belongs to another program). */
async function versionOf(store: ProgramsRoutesEnv["store"], name: string, id: string): Promise<ProgramVersionView> {
  const v = await store.getProgramVersion(id);
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

/** Who did it, as the program page shows it. */
export function actorOf(caller: Caller): string {
  return caller.kind === "user" ? `${caller.user.name} <${caller.user.email}>` : `API key "${caller.key.name}" (${caller.key.prefix})`;
}

/** With protected production, only a person (a maintainer or an administrator) changes the active version. */
function guardProduction(env: { readonly protectProduction?: boolean }, caller: Caller): void {
  if (env.protectProduction && caller.kind === "key") {
    throw new ServingError("FORBIDDEN", "production is protected: a maintainer promotes or rolls back from the dashboard, not an API key", [{ field: "scope", message: "needs a maintainer" }]);
  }
}

export function programsRoutes(env: ProgramsRoutesEnv): Route[] {
  const { store, registry, resolver } = env;
  const now = env.now ?? Date.now;

  const list = implement(routes.listPrograms, async ({ query }) => ({ status: 200, body: await listProgramsWithStats(store, registry, query, now()) }));

  const detail = implement(routes.getProgram, async ({ params }) => ({ status: 200, body: await readProgram(store, registry, resolver, params.name, now()) }));

  const versions = implement(routes.listProgramVersions, async ({ params, query }) => {
    const page = await store.listProgramVersions({ programName: params.name, ...query });
    return { status: 200, body: { ...page, items: await store.withAuthorNames(page.items) } };
  });

  const diff = implement(routes.diffProgramVersion, async ({ params, query }) => {
    const name = params.name;
    const to = await versionOf(store, name, params.id);
    const fromId = query.against ?? to.parentId;
    if (!fromId) return { status: 200, body: { from: null, to: { id: to.id, number: to.number }, changes: [] } };
    if (query.against) await versionOf(store, name, query.against);
    const result = await store.diffProgramVersions({ from: fromId, to: to.id }, registry.get(name)?.space);
    return { status: 200, body: result };
  });

  const create = implement(routes.createProgramVersion, async ({ params, body, caller }) => {
    const name = params.name;
    const program = served(registry, name);
    checkConfig(program, describeVariables(program.space), body.config as Config);
    if (body.parentId) await versionOf(store, name, body.parentId);
    const created = await store.createProgramVersion(program.space, {
      programName: name,
      config: body.config,
      ...(body.parentId && { parentId: body.parentId }),
      ...authorOf(caller),
      message: body.message ?? "",
      activate: body.activate ?? false,
    });
    if (created.active) env.invalidate(name);
    return { status: 201, body: (await store.withAuthorNames([created]))[0]! };
  });

  const promote = implement(routes.promoteProgramVersion, async ({ params, caller }) => {
    const name = params.name;
    guardProduction(env, caller);
    await versionOf(store, name, params.id);
    const result = await store.promoteVersion(params.id, actorOf(caller));
    env.invalidate(name);
    return { status: 200, body: { ...result, active: (await store.withAuthorNames([result.active]))[0]! } };
  });

  const rollback = implement(routes.rollbackProgram, async ({ params, caller }) => {
    const name = params.name;
    guardProduction(env, caller);
    const result = await store.rollbackProgram(name, actorOf(caller));
    env.invalidate(name);
    return { status: 200, body: { ...result, active: (await store.withAuthorNames([result.active]))[0]! } };
  });

  return [list, detail, versions, diff, create, promote, rollback];
}
