// This month's spending and the budget alerts the guard raised for it (./budget-guard records each
// in the events table once per month and threshold), for `status` and the report.
import type { CostConfig } from '../../../src-shared/config/schema';
import type { BudgetAlert, BudgetStatus } from '../../../src-shared/domain/budget';
import type { Store } from '../store/store';
import { CostLedger } from './cost-ledger';

interface AlertRow {
  data_json: string;
  created_at: string;
}

export function budgetStatus(store: Store, cost: CostConfig, now: () => Date): BudgetStatus {
  const month = new CostLedger(store, cost, now).monthToDate();
  const key = monthKey(now());
  const alerts = budgetAlerts(store, cost, (alert) => alert.month === key);
  return { month: key, spentUsd: month.spentUsd, budgetUsd: month.budgetUsd, share: month.share, alerts };
}

/** The alerts a session raised (its events), for the report. */
export function sessionBudgetAlerts(store: Store, cost: CostConfig, sessionId: string): BudgetAlert[] {
  return budgetAlerts(store, cost, () => true, sessionId);
}

function budgetAlerts(
  store: Store,
  cost: CostConfig,
  keep: (alert: { month: string }) => boolean,
  sessionId?: string,
): BudgetAlert[] {
  const rows = (
    sessionId === undefined
      ? store.db.prepare(`SELECT data_json, created_at FROM events WHERE type = 'budget-alert' ORDER BY id`).all()
      : store.db
          .prepare(
            `SELECT data_json, created_at FROM events WHERE type = 'budget-alert' AND session_id = ? ORDER BY id`,
          )
          .all(sessionId)
  ) as AlertRow[];
  const last = Math.max(...cost.alert_thresholds);
  return rows
    .map((row) => ({
      raw: JSON.parse(row.data_json) as Omit<BudgetAlert, 'raisedAt' | 'blocksPaidModels'>,
      raisedAt: row.created_at,
    }))
    .filter(({ raw }) => keep(raw))
    .map(({ raw, raisedAt }) => ({
      threshold: raw.threshold,
      spentUsd: raw.spentUsd,
      budgetUsd: raw.budgetUsd,
      month: raw.month,
      raisedAt,
      blocksPaidModels: raw.threshold >= last,
    }));
}

/** The guard's month key: the local calendar month. */
function monthKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
}

/** One line for a person: "80% of the $10.00 monthly budget used ($8.12), raised …". */
export function describeBudgetAlert(alert: BudgetAlert): string {
  const block = alert.blocksPaidModels ? '; paid models are refused until next month' : '';
  return `${Math.round(alert.threshold * 100)}% of the $${alert.budgetUsd.toFixed(2)} monthly budget used ($${alert.spentUsd.toFixed(2)}) at ${alert.raisedAt}${block}`;
}
