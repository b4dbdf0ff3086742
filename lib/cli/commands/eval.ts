// dspex eval <program> [--dataset file.jsonl | name] [--split validation]: scores the program's
// active version on the examples. Locally with the program's own metric (evaluate(), with a 95%
// interval, cost and latency); against a server through predictions in batches, scored with the
// metric of the program file when one is given, else by comparing every expected output.
import { evaluate, meanAndInterval, outputsMatch, type Metric } from "../../dspex";
import { PREDICT_BATCH_MAX, PredictBatchResponseSchema } from "../../schemas";
import { connect, programRef, type GlobalOptions } from "../connect";
import { isFile, readJsonl, readStoredDataset, type CliExample } from "../datasets";
import { CliError, EXIT } from "../errors";
import type { Output } from "../output";
import { createProgress } from "../progress";

export interface EvalOptions {
  readonly dataset?: string;
  readonly split?: string;
  readonly concurrency?: string;
  readonly minScore?: string;
}

export interface EvalSummary {
  readonly program: string;
  readonly n: number;
  readonly mean: number;
  readonly ci95: { readonly low: number; readonly high: number };
  readonly errors: number;
  /** Null when a model's price is unknown. */
  readonly costUsd: number | null;
  readonly failures: readonly { readonly index: number; readonly inputs: Record<string, unknown>; readonly error: string }[];
}

export async function evalCommand(ref: string, options: EvalOptions, global: GlobalOptions, out: Output): Promise<void> {
  const program = programRef(ref);
  const split = options.split ?? "validation";
  const conn = await connect(global, program.dir);
  let summary: EvalSummary;
  try {
    const all: CliExample[] = options.dataset && isFile(options.dataset) ? await readJsonl(options.dataset) : (await readStoredDataset(conn.api, options.dataset ?? program.name)).examples;
    const examples = split === "all" ? all : all.filter((e) => e.split === split);
    if (examples.length === 0) throw new CliError(`no ${split} examples in ${options.dataset ?? `the dataset "${program.name}"`} (--split train|validation|test|all)`, EXIT.invalid);
    const bar = createProgress("eval |{bar}| {value}/{total} mean {mean} spent ${usd}", examples.length, !out.json);
    if (conn.runtime) {
      const registered = conn.runtime.programs.registry.require(program.name);
      const resolved = await conn.runtime.programs.resolver.resolveProgram(program.name);
      const head = await conn.runtime.store.findProgramHead(program.name);
      const report = await evaluate(resolved.module, examples, (registered.metric ?? outputsMatch()) as Metric, conn.runtime.lm.forScopes(head ? { programId: head.id } : {}), {
        concurrency: Number(options.concurrency ?? 8),
        keepTraces: false,
        onProgress: (p) => bar.update(p.done, { mean: p.mean.toFixed(3), usd: p.costUsd.toFixed(4) }),
      });
      summary = {
        program: program.name,
        n: report.n,
        mean: report.mean,
        ci95: report.ci95,
        errors: report.errors,
        costUsd: report.totalCostUsd,
        failures: report.results.flatMap((r, index) => (r.error ? [{ index, inputs: examples[index]!.inputs, error: r.error }] : [])),
      };
    } else {
      summary = await evalRemotely(conn.api, program.name, examples, (done, mean, usd) => bar.update(done, { mean: mean.toFixed(3), usd: usd.toFixed(4) }));
    }
    bar.stop();
  } finally {
    await conn.close();
  }
  out.result(summary, () =>
    [
      `${summary.program}: ${summary.mean.toFixed(3)} (95% CI ${summary.ci95.low.toFixed(3)}-${summary.ci95.high.toFixed(3)}) on ${summary.n} ${split} examples, ${summary.costUsd === null ? "price unknown" : `$${summary.costUsd.toFixed(6)}`}`,
      ...summary.failures.slice(0, 5).map((f) => `  example ${f.index + 1} failed: ${f.error}`),
    ].join("\n"),
  );
  if (options.minScore !== undefined && summary.mean < Number(options.minScore)) throw new CliError(`mean ${summary.mean.toFixed(3)} is under --min-score ${options.minScore}`, EXIT.failed);
}

async function evalRemotely(api: Parameters<typeof readStoredDataset>[0], name: string, examples: readonly CliExample[], progress: (done: number, mean: number, usd: number) => void): Promise<EvalSummary> {
  const metric = outputsMatch();
  const scores: number[] = [];
  const failures: EvalSummary["failures"][number][] = [];
  let costUsd = 0;
  for (let at = 0; at < examples.length; at += PREDICT_BATCH_MAX) {
    const chunk = examples.slice(at, at + PREDICT_BATCH_MAX);
    const reply = await api.post(`/api/v1/programs/${encodeURIComponent(name)}/predict/batch`, { inputs: chunk.map((e) => e.inputs) }, PredictBatchResponseSchema);
    costUsd += reply.costUsd;
    reply.results.forEach((r, i) => {
      const example = chunk[i]!;
      if (!r.ok) {
        failures.push({ index: at + i, inputs: example.inputs, error: r.error.message });
        scores.push(0);
      } else scores.push(Number(metric({ inputs: example.inputs, outputs: example.outputs }, r.output as never)));
    });
    progress(scores.length, scores.reduce((a, b) => a + b, 0) / scores.length, costUsd);
  }
  const stats = meanAndInterval(scores);
  return { program: name, n: scores.length, mean: stats.mean, ci95: { low: stats.low, high: stats.high }, errors: failures.length, costUsd, failures };
}
