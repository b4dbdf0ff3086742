// Everything an optimization run needs, read from its Optimization row: the program's base
// version and variable space, the dataset splits (validation held out as `optimize` does when the
// version has none), the optimizer chosen by name and options, the budget. Whatever is wrong here
// another attempt would not fix, so it is a PermanentJobError naming the field.
import { z } from "zod";
import {
  chooseOptimizer,
  discoverSpace,
  DspexError,
  holdOut,
  OPTIMIZER_NAMES,
  type Budget,
  type Example,
  type Metric,
  type Optimizer,
  type OptimizerName,
  type VariableSpace,
} from "../../dspex";
import type { ProgramResolver, ResolvedProgram } from "../programs";
import { isStoreError, type OptimizationView, type Store } from "../store";
import { PermanentJobError } from "./errors";

/** The optimizer options an Optimization row may hold (`options`). */
export const OptimizationRunOptionsSchema = z.strictObject({
  /** MIPROv2's preset when it is chosen ("light" by default). */
  auto: z.enum(["light", "medium", "heavy"]).optional(),
  /** Share of the training examples held out for validation when the dataset version has no validation split. */
  valFraction: z.number().gt(0, "must be above 0").lt(1, "must be below 1").optional(),
  /** Only these variables are searched; the others keep the base version's values. */
  search: z.array(z.string().min(1)).min(1, "must name at least one variable").optional(),
  /** Examples evaluated at once within a trial (default 8). */
  concurrency: z.number().int("must be a whole number").min(1, "must be at least 1").max(64, "must be at most 64").optional(),
});
export type OptimizationRunOptions = z.output<typeof OptimizationRunOptionsSchema>;

export interface OptimizationPlan {
  readonly resolved: ResolvedProgram;
  readonly space: VariableSpace;
  readonly metric: Metric;
  readonly trainset: readonly Example[];
  readonly valset: readonly Example[];
  /** True when the validation set was held out of the training examples. */
  readonly heldOut: boolean;
  readonly optimizer: Optimizer;
  readonly reason: string;
  readonly budget: Budget;
  readonly concurrency: number | undefined;
}

function permanent(optimizationId: string, message: string, cause?: unknown): PermanentJobError {
  return new PermanentJobError(`optimization ${optimizationId}: ${message}`, { cause });
}

function parseRunOptions(view: OptimizationView): OptimizationRunOptions {
  const parsed = OptimizationRunOptionsSchema.safeParse(view.options ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) =>
    i.code === "unrecognized_keys" ? `options.${i.keys.join(", options.")} is not an option (options: ${Object.keys(OptimizationRunOptionsSchema.shape).join(", ")})` : `options.${i.path.map(String).join(".")} ${i.message}`,
  );
  throw permanent(view.id, problems.join("; "));
}

function isOptimizerName(name: string): name is OptimizerName {
  return (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

/** Reads and checks everything the run needs. Throws PermanentJobError for a setup no retry would fix. */
export async function planOptimization(store: Pick<Store, "loadDatasetSplits">, resolver: Pick<ProgramResolver, "resolveProgram">, view: OptimizationView): Promise<OptimizationPlan> {
  const options = parseRunOptions(view);
  if (!isOptimizerName(view.optimizer)) throw permanent(view.id, `optimizer "${view.optimizer}" is not one of ${OPTIMIZER_NAMES.join(", ")}`);
  if (!view.datasetVersionId) throw permanent(view.id, `it has no dataset version to optimize on; launch it with datasetVersionId (e.g. a version of the dataset "${view.program.name}")`);
  try {
    const resolved = await resolver.resolveProgram(view.program.name, view.baseVersionId ?? undefined);
    const metric = resolved.registered.metric;
    if (!metric) throw permanent(view.id, `program "${view.program.name}" has no metric; add \`metric\` to its defineServedProgram(...) to optimize it`);
    const splits = await store.loadDatasetSplits(view.datasetVersionId);
    let space = discoverSpace(resolved.module, resolved.registered.variables);
    if (options.search) space = space.select(options.search);
    if (space.searchable().length === 0) throw permanent(view.id, "nothing to search: every variable is fixed (check options.search)");
    const choice = chooseOptimizer(view.optimizer, space, splits.train.length + splits.validation.length, options.auto);
    const heldOut = splits.validation.length === 0;
    const split = heldOut ? holdOut(splits.train, options.valFraction ?? choice.valFraction, view.seed) : { train: splits.train, val: splits.validation };
    const budget: Budget = {
      ...(view.budget.usd !== null ? { usd: view.budget.usd } : {}),
      ...(view.budget.lmCalls !== null ? { lmCalls: view.budget.lmCalls } : {}),
      ...(view.budget.seconds !== null ? { seconds: view.budget.seconds } : {}),
    };
    return { resolved, space, metric, trainset: split.train, valset: split.val, heldOut, optimizer: choice.optimizer, reason: choice.reason, budget, concurrency: options.concurrency };
  } catch (err) {
    if (err instanceof PermanentJobError) throw err;
    if (isStoreError(err) || err instanceof DspexError) throw permanent(view.id, err.message, err);
    throw err;
  }
}
