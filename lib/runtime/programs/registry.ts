// The programs one server knows: the bundled demos and the user's programs, each with its
// variable space (discovered once), by name.
import { discoverSpace, signatureOf, type DiscoverOptions, type Metric, type Module, type Signature, type VariableSpace } from "../../dspex";
import { NotFoundError } from "../store";
import type { ServedExample, ServedProgram } from "./define-served-program";

export interface RegisteredProgram {
  readonly name: string;
  readonly description: string;
  /** "demo": a bundled demo task (not the user's code); "user": a file in programs/. */
  readonly kind: "demo" | "user";
  /** "demo:<name>", or the file's path relative to the project, e.g. "programs/triage.ts". */
  readonly source: string;
  readonly program: Module;
  readonly signature: Signature | undefined;
  readonly variables: DiscoverOptions;
  readonly space: VariableSpace;
  readonly dataset: readonly ServedExample[];
  readonly metric: Metric | undefined;
}

/** A file in programs/ that could not be served, and why (it is skipped; the server runs on). */
export interface ProgramLoadError {
  /** The file's path relative to the project (absolute when outside it). */
  readonly path: string;
  /** Where in the file, when the error names it (1-based). */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
  readonly cause: unknown;
  /** Programs this file served before it broke, still served from their last good code. */
  readonly servingPrevious?: readonly string[];
}

/** "programs/x.ts:3:5: cannot be loaded: ..." */
export function formatLoadError(error: Pick<ProgramLoadError, "path" | "line" | "column" | "message">): string {
  const at = error.line === undefined ? "" : `:${error.line}${error.column === undefined ? "" : `:${error.column}`}`;
  return `${error.path}${at}: ${error.message}`;
}

/** The program a file is expected to define: its name without folder and extension. */
export function programNameOfFile(file: string): string {
  return file.replace(/^.*[\\/]/, "").replace(/\.[mc]?[jt]sx?$/, "");
}

export interface ProgramRegistry {
  /** Demos first, then user programs by name. */
  readonly programs: readonly RegisteredProgram[];
  readonly errors: readonly ProgramLoadError[];
  get(name: string): RegisteredProgram | undefined;
  /** Throws NotFoundError (StoreError NOT_FOUND, field programName). */
  require(name: string): RegisteredProgram;
}

export function registerProgram(served: ServedProgram, kind: RegisteredProgram["kind"], source: string): RegisteredProgram {
  const variables = served.variables ?? {};
  return Object.freeze({
    name: served.name,
    description: served.description,
    kind,
    source,
    program: served.program,
    signature: served.signature ?? signatureOf(served.program),
    variables,
    space: discoverSpace(served.program, variables),
    dataset: served.dataset,
    metric: served.metric,
  });
}

export function createProgramRegistry(programs: readonly RegisteredProgram[], errors: readonly ProgramLoadError[] = []): ProgramRegistry {
  const byName = new Map<string, RegisteredProgram>();
  for (const p of programs) byName.set(p.name, p);
  return Object.freeze({
    programs: Object.freeze([...programs]),
    errors: Object.freeze([...errors]),
    get: (name: string) => byName.get(name),
    require(name: string) {
      const p = byName.get(name);
      if (!p) throw new NotFoundError("program", name, "programName");
      return p;
    },
  });
}

/** A registry whose contents a reload replaces; everyone holding it sees the new programs at once. */
export interface LiveProgramRegistry extends ProgramRegistry {
  replace(next: ProgramRegistry): void;
  /** Called after each replace; returns the unsubscribe. */
  onChange(listener: (registry: ProgramRegistry) => void): () => void;
}

export function createLiveProgramRegistry(initial: ProgramRegistry): LiveProgramRegistry {
  let current = initial;
  const listeners = new Set<(registry: ProgramRegistry) => void>();
  return {
    get programs() {
      return current.programs;
    },
    get errors() {
      return current.errors;
    },
    get: (name) => current.get(name),
    require: (name) => current.require(name),
    replace(next) {
      current = next;
      for (const listener of listeners) listener(next);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
