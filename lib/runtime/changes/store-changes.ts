// The store with every configuration write published on the change feed after it commits, so no
// route or page can change a version, promotion, budget, dataset, provider, price, key or user
// without every process and browser hearing of it.
import type { Store } from "../store";
import type { ChangeFeed, ChangeInput } from "./change-feed";

type Publisher<K extends keyof Store> = (result: Awaited<ReturnType<Store[K]>>, args: Parameters<Store[K]>) => ChangeInput | readonly ChangeInput[] | undefined;

const versionChange = (v: { readonly id: string; readonly programName: string; readonly active: boolean }): ChangeInput[] =>
  v.active ? [{ kind: "version", id: v.id, program: v.programName }, { kind: "promotion", id: v.id, program: v.programName }] : [{ kind: "version", id: v.id, program: v.programName }];
const activation = (r: { readonly programName: string; readonly active: { readonly id: string } }): ChangeInput => ({ kind: "promotion", id: r.active.id, program: r.programName });

const publishers: { readonly [K in keyof Store]?: Publisher<K> } = {
  createProgramVersion: versionChange,
  promoteVersion: activation,
  rollbackProgram: activation,
  createDataset: (d) => ({ kind: "dataset", id: d.id }),
  ensureDataset: (created, [input]) => (created ? { kind: "dataset", id: input.name } : undefined),
  createDatasetVersion: (v) => ({ kind: "dataset", id: v.datasetId }),
  importDatasetFile: (v) => ({ kind: "dataset", id: v.datasetId }),
  splitDataset: (v) => ({ kind: "dataset", id: v.datasetId }),
  createBudget: (b) => ({ kind: "budget", id: b.id }),
  updateBudget: (b) => ({ kind: "budget", id: b.id }),
  deleteBudget: (_none, [id]) => ({ kind: "budget", id }),
  createPriceOverride: (p) => ({ kind: "price", id: p.id ?? p.pattern }),
  deletePriceOverride: (p) => ({ kind: "price", id: p.id ?? p.pattern }),
  createProvider: (p) => ({ kind: "provider", id: p.id }),
  updateProvider: (p) => ({ kind: "provider", id: p.id }),
  deleteProvider: (p) => ({ kind: "provider", id: p.id }),
  createApiKey: (k) => ({ kind: "key", id: k.apiKey.id }),
  revokeApiKey: (k) => ({ kind: "key", id: k.id }),
  createUser: (u) => ({ kind: "user", id: u.id }),
  createFirstAdmin: (u) => ({ kind: "user", id: u.id }),
  setUserDisabled: (u) => ({ kind: "user", id: u.id }),
  setActionEnabled: (a) => ({ kind: "action", id: a.action }),
  raiseAlert: (a) => (a ? { kind: "alert", id: a.id } : undefined),
  resolveAlert: (count, [openKey]) => (count > 0 ? { kind: "alert", id: openKey } : undefined),
  acknowledgeAlert: (a) => ({ kind: "alert", id: a.id }),
  saveAlertSettings: () => ({ kind: "alert", id: "settings" }),
  createExperiment: (e) => ({ kind: "experiment", id: e.id }),
  setExperimentStatus: (_none, [id]) => ({ kind: "experiment", id }),
  recordAlertDelivery: (_none, [id]) => ({ kind: "alert", id }),
};

/** The same store; its configuration writes publish on `feed` once they have succeeded. */
export function withChangeEvents(store: Store, feed: Pick<ChangeFeed, "publish">): Store {
  const wrapped: Record<string, unknown> = { ...store };
  for (const [name, publisher] of Object.entries(publishers) as [keyof Store, (result: unknown, args: unknown[]) => ChangeInput | readonly ChangeInput[] | undefined][]) {
    const write = store[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = async (...args: unknown[]) => {
      const result = await write(...args);
      const changes = publisher(result, args);
      for (const change of changes === undefined ? [] : Array.isArray(changes) ? changes : [changes as ChangeInput]) feed.publish(change);
      return result;
    };
  }
  return wrapped as Store;
}
