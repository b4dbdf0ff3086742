// dspex programs check [dir]: loads every program of the folder as the server does and lists what
// fails, with file, line and message; exit 1 when something does not load. Against a server, what
// its programs folder holds now.
import { ProgramListPageSchema } from "../../schemas";
import { loadProgramRegistry } from "../../runtime/programs";
import { registerProgramImports } from "../../runtime/program-imports";
import { connect, isRemote, localConfig, type GlobalOptions } from "../connect";
import { CliError, EXIT } from "../errors";
import type { Output } from "../output";

interface CheckReport {
  readonly programs: readonly string[];
  readonly errors: readonly { path: string; line: number | null; column: number | null; message: string }[];
}

export async function checkCommand(dir: string | undefined, global: GlobalOptions, out: Output): Promise<void> {
  let report: CheckReport;
  if (isRemote(global)) {
    const conn = await connect(global);
    const page = await conn.api.get("/api/v1/programs?limit=100", ProgramListPageSchema);
    report = { programs: page.items.filter((p) => p.served).map((p) => p.name), errors: page.loadErrors };
  } else {
    registerProgramImports();
    const registry = await loadProgramRegistry({ dir: dir ?? localConfig(global).programsDir, demos: false });
    report = {
      programs: registry.programs.map((p) => p.name),
      errors: registry.errors.map((e) => ({ path: e.path, line: e.line ?? null, column: e.column ?? null, message: e.message })),
    };
  }
  out.result(report, () =>
    [
      ...report.programs.map((p) => `ok      ${p}`),
      ...report.errors.map((e) => `failed  ${e.path}${e.line === null ? "" : `:${e.line}:${e.column ?? 1}`}: ${e.message}`),
      report.programs.length + report.errors.length === 0 ? "no programs found" : "",
    ]
      .filter(Boolean)
      .join("\n"),
  );
  if (report.errors.length > 0) throw new CliError(`${report.errors.length} program file(s) do not load`, EXIT.failed, report);
}
