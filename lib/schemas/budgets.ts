// Inputs of the budget store functions. Money is USD with at most 9 decimals (the columns' scale).
import { z } from "zod";
import { PageQuerySchema } from "./pagination";

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
