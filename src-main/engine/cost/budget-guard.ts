// The monthly budget (DESIGN §9 cost): alerts when spending crosses each of cost.alert_thresholds, and
// at the last threshold paid models are refused — the night goes on with free (local) models only.
// Alerts already raised this month are remembered in the events table, so each fires once per month.
import type { CostConfig } from '../../../src-shared/config/schema';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Store } from '../store/store';
import type { CostLedger } from './cost-ledger';

export interface BudgetAlert {
  threshold: number;
  spentUsd: number;
  budgetUsd: number;
  month: string;
}

export class BudgetGuard {
  constructor(
    private readonly store: Store,
    private readonly ledger: CostLedger,
    private readonly cost: CostConfig,
    private readonly now: () => Date,
    private readonly onAlert: (alert: BudgetAlert) => void,
  ) {}

  /** Refuses a call to a paid model once the last alert threshold of the budget is reached. */
  assertMayCall(model: string): void {
    if (!this.isPaid(model)) return;
    const lastThreshold = Math.max(...this.cost.alert_thresholds);
    const month = this.ledger.monthToDate();
    if (month.share >= lastThreshold) {
      throw new NocturnalError(
        'runtime',
        `the monthly budget is ${Math.round(month.share * 100)}% spent ($${month.spentUsd.toFixed(2)} of $${month.budgetUsd.toFixed(2)}), at or past the last alert threshold ${lastThreshold}: paid model "${model}" is refused until next month; use a free (local) model or raise cost.monthly_budget_usd`,
      );
    }
  }

  /** After a call: raises an alert for every threshold crossed and not yet raised this month. */
  checkThresholds(sessionId: string | null): BudgetAlert[] {
    const month = this.ledger.monthToDate();
    if (month.spentUsd === 0) return [];
    const key = monthKey(this.now());
    const raised = new Set(
      (
        this.store.db.prepare(`SELECT data_json FROM events WHERE type = 'budget-alert'`).all() as {
          data_json: string;
        }[]
      )
        .map((row) => JSON.parse(row.data_json) as BudgetAlert)
        .filter((alert) => alert.month === key)
        .map((alert) => alert.threshold),
    );
    const alerts: BudgetAlert[] = [];
    for (const threshold of [...this.cost.alert_thresholds].sort((a, b) => a - b)) {
      if (month.share < threshold || raised.has(threshold)) continue;
      const alert = { threshold, spentUsd: month.spentUsd, budgetUsd: month.budgetUsd, month: key };
      this.store.events.append(
        {
          sessionId,
          taskId: null,
          attemptId: null,
          type: 'budget-alert',
          message: `${Math.round(threshold * 100)}% of the monthly budget used ($${month.spentUsd.toFixed(2)} of $${month.budgetUsd.toFixed(2)})`,
          data: alert,
        },
        this.now(),
      );
      this.onAlert(alert);
      alerts.push(alert);
    }
    return alerts;
  }

  private isPaid(model: string): boolean {
    const price = this.cost.prices[model];
    return price !== undefined && (price.input_per_1k_usd > 0 || price.output_per_1k_usd > 0);
  }
}

function monthKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}
