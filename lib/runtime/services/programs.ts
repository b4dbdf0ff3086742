// Programs as the dashboard and the API show them: the stored program with its run statistics,
// whether this server serves it, and for one program its signature, module tree and variables.
import type { ProgramDetailSchema, ProgramListItem, ProgramListPageSchema, ProgramListQuery, Wire } from "../../schemas";
import { describeModuleTree, describeProgram, describeVariables, type ProgramRegistry, type ProgramResolver } from "../programs";
import type { ProgramRunStats, ProgramSummary, Store } from "../store";

function listItem(p: ProgramSummary, registry: ProgramRegistry, stats: ProgramRunStats | undefined): ProgramListItem {
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

/** One page of programs, each with the runs and error rate of the 24 hours before `now`. */
export async function listProgramsWithStats(store: Pick<Store, "listPrograms" | "programRunStats">, registry: ProgramRegistry, query: ProgramListQuery, now: number): Promise<Wire<typeof ProgramListPageSchema>> {
  const page = await store.listPrograms(query);
  const stats = await store.programRunStats(page.items.map((p) => p.id), now);
  const loadErrors = registry.errors.map((e) => ({ path: e.path, line: e.line ?? null, column: e.column ?? null, message: e.message, servingPrevious: [...(e.servingPrevious ?? [])] }));
  return { ...page, items: page.items.map((p) => listItem(p, registry, stats.get(p.id))), loadErrors };
}

/** A program with its active version; signature, module tree and variables when this server serves it. */
export async function readProgram(
  store: Pick<Store, "getProgram" | "programRunStats" | "getProgramVersion" | "withAuthorNames" | "rollbackTarget">,
  registry: ProgramRegistry,
  resolver: Pick<ProgramResolver, "resolveProgram">,
  name: string,
  now: number,
): Promise<Omit<Wire<typeof ProgramDetailSchema>, "signature"> & { readonly signature: ReturnType<typeof describeProgram>["signature"] }> {
  const summary = await store.getProgram(name);
  const stats = (await store.programRunStats([summary.id], now)).get(summary.id);
  const registered = registry.get(name);
  const active = summary.activeVersion ? (await store.withAuthorNames([await store.getProgramVersion(summary.activeVersion.id)]))[0]! : null;
  const base = { ...listItem(summary, registry, stats), active, rollbackTo: await store.rollbackTarget(name) };
  if (!registered) {
    return { ...base, kind: null, module: null, signature: null, shorthand: null, moduleTree: null, variables: [], constraints: [], hasDataset: false, hasMetric: false };
  }
  const d = describeProgram(registered);
  // The tree of what is served: the active version's module (its module choices applied).
  const module = active ? await resolver.resolveProgram(name, active.id).then((r) => r.module, () => registered.program) : registered.program;
  return {
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
}
