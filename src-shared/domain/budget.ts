// The month's spending against cost.monthly_budget_usd and the alerts raised for it (status and the
// report show them; the budget guard raises them, DESIGN §9 cost).
import { z } from 'zod';
import { timestampSchema } from './records';

export const budgetAlertSchema = z.object({
  /** The share of the budget crossed, e.g. 0.8. */
  threshold: z.number(),
  spentUsd: z.number(),
  budgetUsd: z.number(),
  /** YYYY-MM. */
  month: z.string(),
  /** When it was raised. */
  raisedAt: timestampSchema,
  /** Paid models are refused from this threshold on (the last one). */
  blocksPaidModels: z.boolean(),
});
export type BudgetAlert = z.infer<typeof budgetAlertSchema>;

export const budgetStatusSchema = z.object({
  month: z.string(),
  spentUsd: z.number(),
  budgetUsd: z.number(),
  share: z.number(),
  /** This month's alerts, oldest first. */
  alerts: z.array(budgetAlertSchema),
});
export type BudgetStatus = z.infer<typeof budgetStatusSchema>;
