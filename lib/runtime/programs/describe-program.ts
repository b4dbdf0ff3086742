// What the Program row keeps for display: the signature, the module tree and the variables.
import type { SignatureJSON, VariableJSON } from "../../dspex";
import type { RegisteredProgram } from "./registry";

export interface ProgramDescription {
  readonly kind: "demo" | "user";
  readonly module: string;
  readonly signature: SignatureJSON | null;
  /** The signature in shorthand, e.g. "context, question -> answer". */
  readonly shorthand: string | null;
  readonly modules: readonly { readonly path: string; readonly kind: string }[];
  readonly variables: readonly VariableJSON[];
  readonly hasDataset: boolean;
  readonly hasMetric: boolean;
}

export function describeProgram(p: RegisteredProgram): ProgramDescription {
  return {
    kind: p.kind,
    module: p.program.kind,
    signature: p.signature?.toJSON() ?? null,
    shorthand: p.signature?.toString() ?? null,
    modules: p.program.namedModules().map(([path, m]) => ({ path, kind: m.kind })),
    variables: p.space.toJSON(),
    hasDataset: p.dataset.length > 0,
    hasMetric: p.metric !== undefined,
  };
}
