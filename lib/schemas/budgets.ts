// Inputs of the budget store functions. Money is USD with at most 9 decimals (the columns' scale).
import { z } from "zod";
import { PageQuerySchema, pageSchema } from "./pagination";

export const BudgetScopeSchema = z.enum(["global", "program", "optimization", "apiKey"]);
export const BudgetPeriodSchema = z.enum(["day", "month", "total"]);
export type BudgetScope = z.infer<typeof BudgetScopeSchema>;
export type BudgetPeriod = z.infer<typeof BudgetPeriodSchema>;

const USD_TEXT = /^\d{1,9}(\.\d{1,9})?$/;

/** A positive amount of USD, as a number or a decimal string ("12.5"); parsed to a decimal string. */
export const UsdAmountSchema = z
  .union([z.number(), z.string().trim()], { message: "must be an amount in USD, e.g. 25 or \"25.50\"" })
  .transform((v, ctx) => {
    const text = typeof v === "number" ? (Number.isFinite(v) ? v.toFixed(9).replace(/\.?0+$/, "") : "") : v;
    if (!USD_TEXT.test(text) || Number(text) <= 0) {
      ctx.addIssue({ code: "custom", message: `must be a positive amount in USD below 1e9 with at most 9 decimals (got ${JSON.stringify(v)})` });
      return z.NEVER;
    }
    return text;
  });

export const CreateBudgetSchema = z
  .object({
    scope: BudgetScopeSchema,
    /** The id of the program, optimization or API key; "" for the global scope. */
    scopeId: z.string().trim().max(128).default(""),
    period: BudgetPeriodSchema,
    limitUsd: UsdAmountSchema,
  })
  .superRefine((b, ctx) => {
    if (b.scope === "global" && b.scopeId !== "") ctx.addIssue({ code: "custom", path: ["scopeId"], message: 'must be empty for the global scope' });
    if (b.scope !== "global" && b.scopeId === "") ctx.addIssue({ code: "custom", path: ["scopeId"], message: `must name the ${b.scope} the budget limits` });
  });
export type CreateBudgetInput = z.input<typeof CreateBudgetSchema>;

export const UpdateBudgetSchema = z.object({ limitUsd: UsdAmountSchema });
export type UpdateBudgetInput = z.input<typeof UpdateBudgetSchema>;

export const BudgetListQuerySchema = PageQuerySchema.extend({
  scope: BudgetScopeSchema.optional(),
  scopeId: z.string().trim().max(128).optional(),
});
export type BudgetListQuery = z.input<typeof BudgetListQuerySchema>;

// ---------------------------------------------------------------- budgets and costs API (wire shapes)

export const BudgetSchema = z.object({
  id: z.string(),
  scope: BudgetScopeSchema,
  scopeId: z.string(),
  /** What the scope is: "All spending", the program's name, the API key's name, the optimization's id. */
  label: z.string(),
  period: BudgetPeriodSchema,
  limitUsd: z.number(),
  spentUsd: z.number(),
  remainingUsd: z.number(),
  exhausted: z.boolean(),
  windowStart: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BudgetWire = z.infer<typeof BudgetSchema>;
export const BudgetPageSchema = pageSchema(BudgetSchema);
export const BudgetIdParamsSchema = z.object({ id: z.string() });
export const BudgetDeletedSchema = z.object({ deleted: z.literal(true), id: z.string() });

/** What a budget can limit: the programs, API keys and recent optimizations, for the form's pickers. */
export const BudgetTargetsSchema = z.object({
  programs: z.array(z.object({ id: z.string(), name: z.string() })),
  apiKeys: z.array(z.object({ id: z.string(), name: z.string(), prefix: z.string() })),
  optimizations: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type BudgetTargets = z.infer<typeof BudgetTargetsSchema>;

export const COST_RANGES = [7, 30, 90] as const;

/** GET /api/v1/costs and /api/v1/costs/export.csv: the last `days` days (UTC, today included), filtered. */
export const CostsQuerySchema = z.object({
  days: z.coerce
    .number({ message: "must be 7, 30 or 90" })
    .refine((d) => (COST_RANGES as readonly number[]).includes(d), "must be 7, 30 or 90")
    .default(30),
  programName: z.string().trim().min(1).max(100).optional(),
  apiKeyId: z.string().trim().min(1).max(128).optional(),
  model: z.string().trim().min(1).max(200).optional(),
});
export type CostsQuery = z.input<typeof CostsQuerySchema>;

export const CostExportQuerySchema = CostsQuerySchema.extend({
  groupBy: z.enum(["provider", "model", "program", "apiKey", "day"], { message: "must be provider, model, program, apiKey or day" }).default("day"),
});
export type CostExportQuery = z.input<typeof CostExportQuerySchema>;

export const CostTotalsSchema = z.object({
  costUsd: z.number(),
  calls: z.number().int(),
  inputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  /** Calls to a model with no known price: their cost is unknown, never shown as $0. */
  unpricedCalls: z.number().int().default(0),
  /** Calls a budget refused before they reached a provider (not in `calls` or any sum). */
  refusedCalls: z.number().int().default(0),
});
export const CostRowSchema = CostTotalsSchema.extend({ key: z.string().nullable(), label: z.string(), provider: z.string().nullable().optional() });
export type CostRowWire = z.infer<typeof CostRowSchema>;

export const CostSummarySchema = z.object({
  days: z.number().int(),
  from: z.string(),
  to: z.string(),
  total: CostTotalsSchema,
  byModel: z.array(CostRowSchema),
  byProvider: z.array(CostRowSchema).default([]),
  byProgram: z.array(CostRowSchema),
  byApiKey: z.array(CostRowSchema),
  /** One entry per day of the range (zeros included): the day's cost, and its cost per model (top models; the rest as "other"). */
  daily: z.array(z.object({ day: z.string(), costUsd: z.number(), calls: z.number().int(), byModel: z.record(z.string(), z.number()) })),
  /** The series of `daily[].byModel`, largest first. */
  models: z.array(z.string()),
  /**
   * Month-end forecast (UTC month, same filters, ignoring the range): spend so far this month plus
   * the mean daily spend of the last 7 days (today included) times the whole days left after today.
   */
  forecast: z.object({ monthToDateUsd: z.number(), dailyMeanUsd: z.number(), daysLeft: z.number().int(), monthEndUsd: z.number(), method: z.string() }),
});
export type CostSummary = z.infer<typeof CostSummarySchema>;

/** How the Costs page forecasts the month's spend. */
export const FORECAST_METHOD =
  "spend so far this month (UTC) plus the mean daily spend of the last 7 days (today included) times the whole days left in the month after today";
