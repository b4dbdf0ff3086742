import type { RunContext } from "../../context";
import type { Example } from "../../evaluate/types";
import { formatExamples } from "./format-example";
import { describeDataset, extendDatasetObservations, summarizeObservations } from "./signatures";

export interface DatasetSummaryOptions {
  readonly trainset: readonly Example[];
  /** The run context of the prompt model (journaled for resume). */
  readonly context: RunContext;
  /** Examples shown per call (default 10). */
  readonly batchSize?: number;
  /** Batches read at most (default 10). */
  readonly maxBatches?: number;
  /** Replies of "COMPLETE" after which reading stops (default 5). */
  readonly maxSkips?: number;
  /** Sampling temperature of every call (default 1.0). */
  readonly temperature?: number;
  /** Checked before every call: stop reading (and summarize what was read) when it says so. */
  readonly shouldStop?: () => boolean;
}

export interface DatasetSummary {
  readonly summary: string;
  readonly observations: string;
  readonly calls: number;
}

/** LM calls summarizeDataset makes at most for a training set of this size. */
export function datasetSummaryCalls(trainSize: number, batchSize = 10, maxBatches = 10): number {
  if (trainSize === 0) return 0;
  return Math.min(maxBatches, Math.ceil(trainSize / batchSize)) + 1;
}

/**
 * A short description of a dataset written by an LM: observations on a first batch of examples,
 * extended batch by batch (a reply of "COMPLETE" adds nothing; several end the reading), then
 * summarized in a few sentences. The MIPROv2 data-aware proposer's summary.
 */
export async function summarizeDataset(options: DatasetSummaryOptions): Promise<DatasetSummary> {
  const batchSize = options.batchSize ?? 10;
  const maxBatches = options.maxBatches ?? 10;
  const maxSkips = options.maxSkips ?? 5;
  const settings = { temperature: options.temperature ?? 1.0 };
  const { trainset, context } = options;
  let calls = 0;
  const batch = (start: number) => formatExamples(trainset.slice(start, start + batchSize), start + 1);

  const first = await describeDataset.with({ settings }).run({ examples: batch(0) }, context);
  calls++;
  let observations = clean(first.observations);
  let skips = 0;
  for (let start = batchSize, read = 1; start < trainset.length && read < maxBatches; start += batchSize, read++) {
    if (options.shouldStop?.()) break;
    const more = await extendDatasetObservations.with({ settings }).run({ examples: batch(start), prior_observations: observations }, context);
    calls++;
    const added = clean(more.observations);
    if (/^complete\b/i.test(added)) {
      if (++skips >= maxSkips) break;
      continue;
    }
    observations = `${observations}\n${added}`;
  }
  if (options.shouldStop?.()) return { summary: observations, observations, calls };
  const result = await summarizeObservations.with({ settings }).run({ observations }, context);
  calls++;
  return { summary: cleanProposal(result.summary), observations, calls };
}

function clean(text: unknown): string {
  return String(text ?? "").trim();
}

/**
 * A model's proposal without the wrapping models like to add: a leading label such as
 * "Proposed instruction:" or "**Summary:**", and enclosing quotes.
 */
export function cleanProposal(text: unknown): string {
  let out = clean(text);
  out = out.replace(/^[*\s]*((?:[\w'-]+\s+){0,4}[\w'-]+)\s*:\s*\**\s*/, (whole, label: string) => (/^(proposed|new|improved|final|summary|instruction)/i.test(label) ? "" : whole));
  if (out.length > 1 && /^["'“]/.test(out) && /["'”]$/.test(out)) out = out.slice(1, -1).trim();
  return out;
}
