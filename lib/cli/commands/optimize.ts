// dspex optimize <program> --budget calls=300,usd=1 [--dataset file.jsonl | name]: launches an
// optimization of the program's active version and follows it with a progress bar (spend against
// the budget, best and baseline score, trials) and the link to its page. Ctrl-C stops it cleanly
// (its checkpoints stay) and `--resume <id>` continues it. When it completes, its best version
// becomes the active one (unless --no-apply).
import { ApplyOptimizationResponseSchema, OptimizationSchema, OPTIMIZER_NAME_VALUES } from "../../schemas";
import type { ApiClient } from "../client";
import { parseBudget, type CliBudget } from "../budget";
import { connect, programRef, type GlobalOptions } from "../connect";
import { importJsonl, isFile, readStoredDataset } from "../datasets";
import { CliError, EXIT } from "../errors";
import type { Output } from "../output";
import { createProgress } from "../progress";
import { closest } from "../../dspex/signatures/suggest";

export interface OptimizeCliOptions {
  readonly budget?: string;
  readonly dataset?: string;
  readonly optimizer?: string;
  readonly seed?: string;
  readonly resume?: string;
  readonly apply?: boolean;
  readonly pollMs?: string;
}

type View = ReturnType<typeof OptimizationSchema.parse>;

const FINAL = new Set(["completed", "failed", "stopped"]);

export async function optimizeCommand(ref: string, options: OptimizeCliOptions, global: GlobalOptions, out: Output): Promise<void> {
  const program = programRef(ref);
  if (!options.resume && !options.budget) throw new CliError("give a budget, e.g. --budget calls=300,usd=0.5 (or --resume <id>)", EXIT.usage);
  const budget = options.budget ? parseBudget(options.budget) : undefined;
  const optimizer = options.optimizer ?? "auto";
  if (!(OPTIMIZER_NAME_VALUES as readonly string[]).includes(optimizer)) {
    const guess = closest(optimizer, OPTIMIZER_NAME_VALUES);
    throw new CliError(`--optimizer: unknown optimizer "${optimizer}"${guess ? `; did you mean "${guess}"?` : ""} (one of ${OPTIMIZER_NAME_VALUES.join(", ")})`, EXIT.usage);
  }
  const conn = await connect(global, program.dir);
  try {
    const started = options.resume
      ? await conn.api.post(`/api/v1/optimizations/${encodeURIComponent(options.resume)}/resume`, {}, OptimizationSchema)
      : await launch(conn.api, program.name, options, optimizer, budget!);
    const link = `${conn.dashboardUrl}/optimizations/${started.id}`;
    out.note(`optimization ${started.id} ${options.resume ? "resumed" : "started"}: ${link}`);
    const final = await follow(conn.api, started, !out.json, Number(options.pollMs ?? 500));
    if (final.interrupted) {
      out.result({ ...final.view, link }, () => `stopped; continue with: dspex optimize ${ref} --resume ${final.view.id}`);
      throw new CliError("interrupted", EXIT.interrupted);
    }
    const view = final.view;
    if (view.status === "failed") throw new CliError(`optimization ${view.id} failed: ${view.error ?? "unknown error"} (${link})`, EXIT.failed, view);
    if (view.status !== "completed") {
      out.result({ ...view, link }, () => `optimization ${view.id} is ${view.status}: ${link}`);
      throw new CliError(`optimization ${view.id} ended ${view.status}`, EXIT.failed);
    }
    const applied = options.apply !== false && view.resultVersionId ? await conn.api.post(`/api/v1/optimizations/${view.id}/apply`, {}, ApplyOptimizationResponseSchema) : undefined;
    out.result({ ...view, link, appliedVersion: applied?.versionNumber ?? null }, () =>
      [
        `best ${fmt(view.bestScore)} (baseline ${fmt(view.baselineScore)}) after ${view.trialCount} trials, ${view.spent.lmCalls} calls, $${view.spent.usd.toFixed(4)}, ${Math.round(view.spent.seconds)} s`,
        applied ? `version ${applied.versionNumber} of ${program.name} is now active` : "no new version applied",
        link,
      ].join("\n"),
    );
  } finally {
    await conn.close();
  }
}

const fmt = (n: number | null) => (n === null ? "-" : n.toFixed(3));

async function launch(api: ApiClient, name: string, options: OptimizeCliOptions, optimizer: string, budget: CliBudget): Promise<View> {
  const datasetVersionId =
    options.dataset && isFile(options.dataset) ? await importJsonl(api, options.dataset, name, name) : (await readStoredDataset(api, options.dataset ?? name)).versionId;
  return api.post("/api/v1/optimizations", { programName: name, datasetVersionId, optimizer, budget, seed: Number(options.seed ?? 0) }, OptimizationSchema);
}

/** Polls until the optimization ends; the first Ctrl-C asks it to stop and waits for it, a second one leaves at once. */
async function follow(api: ApiClient, first: View, showBar: boolean, pollMs: number): Promise<{ view: View; interrupted: boolean }> {
  let interrupted = false;
  let stopRequested: Promise<unknown> | undefined;
  const onSigint = () => {
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    process.stderr.write("\nstopping (its checkpoints are kept; Ctrl-C again to leave at once) ...\n");
    stopRequested = api.post(`/api/v1/optimizations/${first.id}/stop`, {}, OptimizationSchema).catch(() => undefined);
  };
  process.on("SIGINT", onSigint);
  const total = Math.max(1, first.budget.lmCalls ?? 0, first.budget.usd ? 1000 : 0, first.budget.seconds ?? 0);
  const bar = createProgress("optimize |{bar}| {percentage}% best {best} (baseline {baseline}) trials {trials} spent ${usd} / {calls} calls {status}", total, showBar);
  try {
    let view = first;
    for (;;) {
      const used = Math.max(
        first.budget.lmCalls ? (view.spent.lmCalls / first.budget.lmCalls) * total : 0,
        first.budget.usd ? (view.spent.usd / first.budget.usd) * total : 0,
        first.budget.seconds ? (view.spent.seconds / first.budget.seconds) * total : 0,
      );
      bar.update(Math.round(used), { best: fmt(view.bestScore), baseline: fmt(view.baselineScore), trials: String(view.trialCount), usd: view.spent.usd.toFixed(4), calls: String(view.spent.lmCalls), status: view.status });
      if (FINAL.has(view.status)) break;
      await new Promise((r) => setTimeout(r, pollMs));
      if (stopRequested) await stopRequested;
      view = await api.get(`/api/v1/optimizations/${first.id}`, OptimizationSchema);
    }
    return { view, interrupted };
  } finally {
    bar.stop();
    process.off("SIGINT", onSigint);
  }
}
