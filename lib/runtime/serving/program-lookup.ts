// Which Module serves a request: the program by name (served here and synced), then its active
// version or the pinned one (by id or number). The program row is trusted for programCacheTtlMs so
// the hot path needs no query; Modules are cached per version by the resolver.
import type { Signature } from "../../dspex";
import { formatLoadError, programNameOfFile, type ProgramRegistry, type ProgramResolver, type ResolvedProgram } from "../programs";
import { StoreError, type Store } from "../store";
import { ServingError } from "./errors";

export interface ProgramTarget {
  readonly programId: string;
  readonly name: string;
  readonly resolved: ResolvedProgram;
  /** What inputs are validated against (undefined: the program declares none). */
  readonly signature: Signature | undefined;
}

export interface ProgramLookup {
  /** Errors: NOT_FOUND naming the program or version, VERSION_INVALID. */
  resolve(name: string, version: string | number | undefined): Promise<ProgramTarget>;
  /** Forgets cached active versions (all, or one program's), e.g. after a promote. */
  invalidate(name?: string): void;
}

interface ProgramRow {
  readonly id: string;
  readonly activeVersionId: string | null;
  readonly expires: number;
}

const MAX_LISTED = 10;

export function createProgramLookup(
  store: Pick<Store, "findProgramHead" | "findVersionIdByNumber">,
  registry: ProgramRegistry,
  resolver: ProgramResolver,
  options: { readonly ttlMs: number; readonly now: () => number },
): ProgramLookup {
  const rows = new Map<string, ProgramRow>();
  /** Version ids by `${programId}:${number}`: versions are immutable, so these never go stale. */
  const byNumber = new Map<string, string>();

  const notFound = (message: string, field: string) => new ServingError("NOT_FOUND", message, [{ field, message }]);

  const programRow = async (name: string): Promise<ProgramRow> => {
    const hit = rows.get(name);
    if (hit !== undefined && hit.expires > options.now()) return hit;
    const row = await store.findProgramHead(name);
    if (!row) throw notFound(`program "${name}" is served here but not yet synced to the database; restart the server to sync it`, "name");
    const entry = { id: row.id, activeVersionId: row.activeVersionId, expires: options.now() + options.ttlMs };
    if (options.ttlMs > 0) rows.set(name, entry);
    return entry;
  };

  const versionIdOf = async (name: string, programId: string, version: string | number | undefined, active: string | null): Promise<string> => {
    if (version === undefined) {
      if (!active) throw notFound(`program "${name}" has no active version; promote one`, "version");
      return active;
    }
    const number = typeof version === "number" ? version : /^\d+$/.test(version) ? Number(version) : undefined;
    if (number === undefined) return version as string;
    const key = `${programId}:${number}`;
    const cached = byNumber.get(key);
    if (cached !== undefined) return cached;
    const id = await store.findVersionIdByNumber(programId, number);
    if (id === null) throw notFound(`program "${name}" has no version ${number}`, "version");
    byNumber.set(key, id);
    return id;
  };

  return {
    async resolve(name, version) {
      const registered = registry.get(name);
      if (registered === undefined) {
        const failed = registry.errors.find((e) => programNameOfFile(e.path) === name);
        if (failed) throw notFound(`program "${name}" is not served: ${formatLoadError(failed)}`, "name");
        const names = registry.programs.map((p) => p.name);
        const listed = names.length > MAX_LISTED ? `${names.slice(0, MAX_LISTED).join(", ")}, ...` : names.join(", ") || "none";
        throw notFound(`program "${name}" not found; programs served here: ${listed}`, "name");
      }
      const row = await programRow(name);
      const versionId = await versionIdOf(name, row.id, version, row.activeVersionId);
      try {
        const resolved = await resolver.resolveProgram(name, versionId);
        return { programId: row.id, name, resolved, signature: registered.signature };
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
        if (err.code === "NOT_FOUND") throw notFound(`program "${name}" has no version "${versionId}"`, "version");
        if (err.code === "INVALID") throw new ServingError("VERSION_INVALID", err.message, err.issues);
        throw err;
      }
    },
    invalidate(name) {
      if (name === undefined) rows.clear();
      else rows.delete(name);
    },
  };
}

