// Which scope a route needs, derived from the route table so that every route is covered without
// a list to keep: running a program or calling an agent system is predict, reading is read,
// optimizations, experiments and agent jobs are optimize (they spend money in the background), every other
// change is manage. A person needs a role that has the scope; an API key needs the scope itself,
// and a key limited to some programs may only touch those. Refusals are 403 naming the scope.
import { roleAllows, type ApiScope } from "../../schemas";
import { ServingError } from "./errors";
import type { RouteSpec } from "../../api/routes";
import type { Caller } from "./router";

const PREDICT = new Set(["predict", "predictBatch", "callAgentSystem"]);
/** Routes every signed-in person may call whatever the role (signing out). */
const ANY_ROLE = new Set(["authLogout"]);

export function requiredScope(spec: Pick<RouteSpec, "method" | "operationId" | "tag">): ApiScope | undefined {
  if (ANY_ROLE.has(spec.operationId)) return undefined;
  if (PREDICT.has(spec.operationId)) return "predict";
  if (spec.method === "GET") return "read";
  if (spec.operationId === "estimateOptimization") return "read";
  if (spec.operationId === "applyOptimization") return "manage";
  if (spec.tag === "optimizations" || spec.tag === "agents" || spec.tag === "experiments") return "optimize";
  return "manage";
}

/** Throws 403 when the caller may not call this route (on this program). */
export function authorize(spec: Pick<RouteSpec, "method" | "operationId" | "tag" | "path">, caller: Caller, params: Readonly<Record<string, string>>): void {
  const scope = requiredScope(spec);
  if (scope === undefined) return;
  if (caller.kind === "user") {
    if (!roleAllows(caller.user.role, scope)) {
      throw new ServingError("FORBIDDEN", `your role (${caller.user.role}) may not do this: it needs the "${scope}" permission; ask an administrator`, [{ field: "scope", message: `needs ${scope}` }]);
    }
    return;
  }
  const key = caller.key;
  if (!key.scopes.includes(scope)) {
    throw new ServingError("FORBIDDEN", `API key "${key.name}" lacks the "${scope}" scope (it has ${key.scopes.join(", ") || "none"}); create a key with that scope`, [{ field: "scope", message: `needs ${scope}` }]);
  }
  const program = spec.path.startsWith("/api/v1/programs/{name}") ? params.name : undefined;
  if (program !== undefined && key.programs.length > 0 && !key.programs.includes(program)) {
    throw new ServingError("FORBIDDEN", `API key "${key.name}" may not use program "${program}" (it may use ${key.programs.join(", ")})`, [{ field: "name", message: "is not one of the key's programs" }]);
  }
}
