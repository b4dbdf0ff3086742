// dspex run <program> --input '{...}' | --file inputs.jsonl: the program's active version (or
// --version) on one input, or on every line of a file (in batches of 100).
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { PREDICT_BATCH_MAX, PredictBatchResponseSchema, PredictResponseSchema, type PredictBatchItem } from "../../schemas";
import { connect, programRef, type GlobalOptions } from "../connect";
import { CliError, EXIT } from "../errors";
import { fieldLines, type Output } from "../output";

export interface RunOptions {
  readonly input?: string;
  readonly file?: string;
  readonly version?: string;
}

const InputSchema = z.record(z.string(), z.unknown());

function parseInput(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${where}: not JSON (${(err as Error).message})`, EXIT.usage);
  }
  const obj = InputSchema.safeParse(value && typeof value === "object" && "inputs" in value ? (value as { inputs: unknown }).inputs : value);
  if (!obj.success) throw new CliError(`${where}: must be a JSON object of the program's inputs, e.g. {"question": "..."}`, EXIT.usage);
  return obj.data;
}

export async function runCommand(ref: string, options: RunOptions, global: GlobalOptions, out: Output): Promise<void> {
  if ((options.input === undefined) === (options.file === undefined)) throw new CliError("give the inputs with --input '<JSON object>' or --file <inputs.jsonl>", EXIT.usage);
  const program = programRef(ref);
  const version = options.version === undefined ? undefined : /^\d+$/.test(options.version) ? Number(options.version) : options.version;
  const inputs =
    options.input !== undefined
      ? [parseInput(options.input, "--input")]
      : (await readFile(options.file!, "utf8").catch((err: NodeJS.ErrnoException) => {
          throw new CliError(`cannot read ${options.file}: ${err.code ?? err.message}`, EXIT.notFound);
        }))
          .split("\n")
          .flatMap((line, i) => (line.trim() ? [parseInput(line, `${options.file}:${i + 1}`)] : []));
  const conn = await connect(global, program.dir);
  try {
    const path = `/api/v1/programs/${encodeURIComponent(program.name)}/predict`;
    if (options.input !== undefined) {
      const reply = await conn.api.post(path, { input: inputs[0], ...(version !== undefined && { version }) }, PredictResponseSchema);
      out.result(reply, () => `${fieldLines(reply.output)}\n\n(version ${reply.version.number}, $${reply.costUsd.toFixed(6)}, ${Math.round(reply.latencyMs)} ms, run ${conn.dashboardUrl}/runs/${reply.runId})`);
      return;
    }
    const results: PredictBatchItem[] = [];
    let failed = 0;
    for (let at = 0; at < inputs.length; at += PREDICT_BATCH_MAX) {
      const reply = await conn.api.post(`${path}/batch`, { inputs: inputs.slice(at, at + PREDICT_BATCH_MAX), ...(version !== undefined && { version }) }, PredictBatchResponseSchema);
      results.push(...reply.results);
      failed += reply.failed;
    }
    out.result(results, () => results.map((r, i) => (r.ok ? `${i + 1}: ${JSON.stringify(r.output)}` : `${i + 1}: failed: ${r.error.message}`)).join("\n"));
    if (failed > 0) throw new CliError(`${failed} of ${inputs.length} inputs failed`, EXIT.failed);
  } finally {
    await conn.close();
  }
}
