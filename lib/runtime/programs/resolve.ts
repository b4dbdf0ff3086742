// The Module that serves a program: its registered code with a stored version's configuration
// applied. Versions are immutable, so each version's Module is built once and cached by id; the
// active version is read per call (one indexed lookup), so a promote takes effect at once.
import { LRUCache } from "lru-cache";
import { ConfigInvalidError, type Config, type Module } from "../../dspex";
import type { PrismaClient } from "../../db";
import { findProgramHead, findVersionConfig, InvalidInputError, NotFoundError, reasonToIssue } from "../store";
import type { ProgramRegistry, RegisteredProgram } from "./registry";

export interface ResolvedProgram {
  readonly name: string;
  readonly registered: RegisteredProgram;
  readonly versionId: string;
  readonly versionNumber: number;
  readonly config: Config;
  readonly module: Module;
}

export interface ProgramResolver {
  /**
   * The Module for the active version (or `versionId`, pinned) of a program. Errors: NOT_FOUND
   * (program not served or not synced, no active version, version of another program), INVALID
   * (the stored configuration no longer fits the program's variables).
   */
  resolveProgram(name: string, versionId?: string): Promise<ResolvedProgram>;
  /** Forgets cached Modules (e.g. after the registry was reloaded). */
  clear(): void;
}

export function createProgramResolver(prisma: PrismaClient, registry: ProgramRegistry, options: { readonly maxCached?: number } = {}): ProgramResolver {
  const cache = new LRUCache<string, Promise<ResolvedProgram>>({ max: options.maxCached ?? 500 });

  const build = async (registered: RegisteredProgram, versionId: string): Promise<ResolvedProgram> => {
    const version = await findVersionConfig(prisma, versionId);
    if (!version || version.programName !== registered.name) throw new NotFoundError(`version of program "${registered.name}"`, versionId, "versionId");
    const config = (version.config ?? {}) as Config;
    try {
      return { name: registered.name, registered, versionId: version.id, versionNumber: version.number, config, module: registered.space.apply(registered.program, config) };
    } catch (err) {
      if (!(err instanceof ConfigInvalidError)) throw err;
      throw new InvalidInputError(
        `program "${registered.name}" version ${version.number} no longer fits the program's variables (its code changed); create a new version from the current variables`,
        err.reasons.map(reasonToIssue),
      );
    }
  };

  return {
    async resolveProgram(name, versionId) {
      const registered = registry.require(name);
      let id = versionId;
      if (!id) {
        const program = await findProgramHead(prisma, name);
        if (!program) throw new NotFoundError("program (not synced yet)", name, "programName");
        if (!program.activeVersionId) throw new NotFoundError("active version of program", name, "programName");
        id = program.activeVersionId;
      }
      const key = `${name}\u0000${id}`;
      let entry = cache.get(key);
      if (!entry) {
        entry = build(registered, id);
        cache.set(key, entry);
        entry.catch(() => cache.delete(key));
      }
      return entry;
    },
    clear: () => cache.clear(),
  };
}
