import PQueue from "p-queue";
import type { RunContext } from "../context";
import { DspexError } from "../errors";
import type { Values } from "../signatures/types";
import { Module, toContext, type ContextLike } from "./module";

export type BatchResult<O> = { readonly ok: true; readonly outputs: O } | { readonly ok: false; readonly error: Error };

export interface BatchOptions {
  /** Items running at once (default 8). */
  readonly concurrency?: number;
  /** Stop starting new items after the first failure (default false: every item gets a result). */
  readonly failFast?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs a module over many inputs with a concurrency limit; results come back in input order. */
export async function runBatch<I extends Values, O extends Values>(
  module: Module<I, O>,
  items: readonly I[],
  context: ContextLike,
  options: BatchOptions = {},
): Promise<BatchResult<O>[]> {
  const ctx = toContext(context);
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new DspexError("OPTION_INVALID", `concurrency must be a positive integer; got ${String(concurrency)}`);
  const queue = new PQueue({ concurrency });
  const results: BatchResult<O>[] = new Array(items.length);
  let done = 0;
  let failed = false;
  await Promise.all(
    items.map((item, i) =>
      queue.add(async () => {
        if (failed && options.failFast) {
          results[i] = { ok: false, error: new DspexError("ABORTED", "not run: an earlier item failed (failFast)") };
        } else {
          try {
            results[i] = { ok: true, outputs: await module.run(item, ctx) };
          } catch (err) {
            failed = true;
            results[i] = { ok: false, error: err instanceof Error ? err : new Error(String(err)) };
          }
        }
        options.onProgress?.(++done, items.length);
      }),
    ),
  );
  return results;
}

/** A module that runs another over a batch: `{ batch: [...] }` in, `{ results: [...] }` out. */
export class Parallel<I extends Values = Values, O extends Values = Values> extends Module<{ batch: I[] }, { results: BatchResult<O>[] }> {
  readonly module: Module<I, O>;
  readonly concurrency: number;

  constructor(module: Module<I, O>, options: { concurrency?: number } = {}) {
    super();
    this.module = module;
    this.concurrency = options.concurrency ?? 8;
  }

  async forward(inputs: { batch: I[] }, ctx: RunContext): Promise<{ results: BatchResult<O>[] }> {
    return { results: await runBatch(this.module, inputs.batch, ctx, { concurrency: this.concurrency }) };
  }
}
