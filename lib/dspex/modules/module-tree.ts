import { DspexError } from "../errors";
import type { Module } from "./module";

/** Every Module carries this brand, so the tree can be walked without importing the class. */
export const MODULE_BRAND: unique symbol = Symbol.for("dspex.module");

export function isModule(value: unknown): value is Module {
  return typeof value === "object" && value !== null && MODULE_BRAND in value;
}

export function childEntries(module: Module): Array<readonly [string, Module]> {
  const out: Array<readonly [string, Module]> = [];
  for (const [key, value] of Object.entries(module)) {
    if (isModule(value)) out.push([key, value]);
    else if (Array.isArray(value)) value.forEach((v, i) => isModule(v) && out.push([`${key}.${i}`, v]));
  }
  return out;
}

const pathCache = new WeakMap<Module, ReadonlyMap<Module, string>>();

/** Paths of every module under a root ("" for the root), memoized: modules are immutable. */
export function modulePaths(root: Module): ReadonlyMap<Module, string> {
  let paths = pathCache.get(root);
  if (!paths) {
    const map = new Map<Module, string>([[root, ""]]);
    for (const [path, m] of root.namedModules()) if (!map.has(m)) map.set(m, path);
    paths = map;
    pathCache.set(root, paths);
  }
  return paths;
}

/** Copy-on-write replacement along a path: only the modules on the path are copied. */
export function replaceAt<T extends Module>(root: T, parts: readonly string[], replacement: Module): T {
  const [head, ...rest] = parts;
  if (head === undefined) return replacement as T;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(root) as object) as T, root);
  const record = copy as unknown as Record<string, unknown>;
  if (head in record && isModule(record[head])) {
    record[head] = replaceAt(record[head], rest, replacement);
    return copy;
  }
  // An array of modules: "steps.2.predict" -> steps[2]
  const [index, ...deeper] = rest;
  const list = record[head];
  if (Array.isArray(list) && index !== undefined && isModule(list[Number(index)])) {
    const next = [...list];
    next[Number(index)] = replaceAt(list[Number(index)] as Module, deeper, replacement);
    record[head] = next;
    return copy;
  }
  throw new DspexError("PROGRAM_INVALID", `no module at "${parts.join(".")}"`);
}
