// Agent systems declared in the programs folder: every file whose default export is
// defineAgentSystem(...) (named like the system, as served programs are). A file that fails to
// load or clashes is reported, never fatal.
import path from "node:path";
import { describe } from "../errors";
import { importWithTimeout, listFiles, type SkillLoadError } from "../registry";
import { isAgentSystem, resolveAgentSystem, type AgentSystemDefinition, type SkillLookup } from "./define-agent-system";

export interface LoadedAgentSystem {
  readonly definition: AgentSystemDefinition;
  /** "programs/<name>.ts". */
  readonly source: string;
}

export interface AgentSystemsLoad {
  readonly systems: readonly LoadedAgentSystem[];
  readonly errors: readonly SkillLoadError[];
}

/** With `lookup` (the skill registry), names of installed skills and actions are resolved; a name not installed is reported. */
export async function loadAgentSystems(options: { readonly programsDir?: string; readonly importTimeoutMs?: number; readonly lookup?: SkillLookup } = {}): Promise<AgentSystemsLoad> {
  const dir = path.resolve(options.programsDir ?? process.env.DSPEX_PROGRAMS_DIR ?? "programs");
  const errors: SkillLoadError[] = [];
  const systems: LoadedAgentSystem[] = [];
  for (const file of await listFiles(dir, errors)) {
    const source = path.relative(process.cwd(), file).split(path.sep).join("/");
    let exported: unknown;
    try {
      exported = ((await importWithTimeout(file, options.importTimeoutMs ?? 15_000)) as { default?: unknown }).default;
    } catch (err) {
      errors.push({ source, message: `cannot be loaded: ${describe(err)}` });
      continue;
    }
    if (!isAgentSystem(exported)) continue;
    const base = path.basename(file).replace(/\.[mc]?[jt]s$/, "");
    if (exported.name !== base) {
      errors.push({ source, message: `defines the agent system "${exported.name}"; name the file ${exported.name}${path.extname(file)} or the system "${base}"` });
      continue;
    }
    try {
      systems.push({ definition: options.lookup ? resolveAgentSystem(exported, options.lookup) : exported, source });
    } catch (err) {
      errors.push({ source, message: describe(err) });
    }
  }
  return { systems, errors };
}
