// A program's modules as a plain tree for the dashboard: each module's path, kind, and (for the
// steps where predictions happen) its signature in shorthand.
import { programSteps, signatureOf, type Module } from "../../dspex";
import type { ModuleNodeShape } from "../../schemas/programs";

export function describeModuleTree(root: Module): ModuleNodeShape {
  const steps = new Set<Module>(programSteps(root).map(([, m]) => m));
  const walk = (m: Module, path: string, name: string): ModuleNodeShape => ({
    path,
    name,
    kind: m.kind,
    step: steps.has(m),
    signature: signatureOf(m)?.toString() ?? null,
    children: m.children().map(([child, c]) => walk(c, path ? `${path}.${child}` : child, child)),
  });
  return walk(root, "", "");
}
