import { describe, expect, it } from "vitest";
import { routes, type RouteSpec } from "../../api/routes";
import { createRouter, implement, type Route } from "./router";

const specs = Object.values(routes) as RouteSpec[];
const bind = (list: readonly RouteSpec[]): Route[] => list.map((spec) => implement(spec, async () => ({ status: 200, body: {} })));
/** A concrete path of a route: each {name} filled with a value no literal segment uses. */
const concrete = (spec: RouteSpec): string => spec.path.replace(/\{[^}]+\}/g, "p-1");
/** Every route the request of `spec` lands on, by operationId, for a router built from `list`. */
function landings(list: readonly RouteSpec[]): string[] {
  const router = createRouter(bind(list));
  return specs.map((spec) => {
    const match = router.match(spec.method, concrete(spec));
    return match && "route" in match ? match.route.spec.operationId : `none (${spec.method} ${concrete(spec)})`;
  });
}

describe("the router over the whole route table", () => {
  it("lists the literal paths a parameter route could shadow (the cases order must not decide)", () => {
    // Pairs (literal route, parameter route) of the same method where the parameter route's path
    // also fits the literal one's: /optimizations/setup and /optimizations/{id}.
    const shadowed: string[] = [];
    for (const literal of specs) {
      const lit = literal.path.split("/");
      for (const param of specs) {
        if (param === literal || param.method !== literal.method) continue;
        const par = param.path.split("/");
        if (par.length !== lit.length) continue;
        if (par.every((s, i) => s === lit[i] || (s.startsWith("{") && !lit[i]!.startsWith("{"))) && par.some((s, i) => s !== lit[i])) {
          shadowed.push(`${literal.method} ${literal.path} < ${param.path}`);
        }
      }
    }
    // The table has such pairs; the test below would pass trivially without them.
    expect(shadowed).toContain("GET /api/v1/optimizations/setup < /api/v1/optimizations/{id}");
    expect(shadowed).toContain("GET /api/v1/runs/search < /api/v1/runs/{id}");
  });

  it("sends every route's own path to that route, in the table's order and in any other", () => {
    const own = specs.map((s) => s.operationId);
    expect(landings(specs)).toEqual(own);
    expect(landings([...specs].reverse())).toEqual(own);
    // Parameter routes first: the order that shadows every literal path.
    const paramsFirst = [...specs].sort((a, b) => Number(b.path.includes("{")) - Number(a.path.includes("{")));
    expect(landings(paramsFirst)).toEqual(own);
  });

  it("prefers a literal segment at the first place two paths differ, and still takes parameters", () => {
    const router = createRouter(bind([...specs].reverse()));
    const at = (method: string, path: string) => {
      const m = router.match(method, path);
      return m && "route" in m ? { id: m.route.spec.operationId, params: m.params } : m;
    };
    expect(at("GET", "/api/v1/optimizations/setup")).toEqual({ id: "optimizationSetup", params: {} });
    expect(at("GET", "/api/v1/optimizations/opt_1")).toEqual({ id: "getOptimization", params: { id: "opt_1" } });
    expect(at("GET", "/api/v1/runs/search")).toEqual({ id: "searchRuns", params: {} });
    expect(at("GET", "/api/v1/runs/run%201")).toMatchObject({ id: "getRun", params: { id: "run 1" } });
    // Only the method is wrong: the methods the path takes.
    expect(at("PUT", "/api/v1/optimizations/setup")).toEqual({ allow: ["GET"] });
    expect(at("GET", "/api/v1/nothing/here")).toBeUndefined();
  });
});
