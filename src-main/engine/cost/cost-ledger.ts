// Prices and energy for each model call (DESIGN §9 cost). Local calls cost 0 USD and an energy
// estimate; priced models are charged per 1k tokens from config. Unlisted models are free (a local
// OpenAI-compatible server such as LM Studio).
import type { CostConfig } from '../../../src-shared/config/schema';
import type { InteractionContext } from '../store/interactions-repo';
import type { Store } from '../store/store';
import type { UsageEntry } from '../store/usage-repo';

/** What one model call used, as the usage ledger stores it (before pricing). */
export type CallUsage = Pick<
  UsageEntry,
  'provider' | 'model' | 'promptTokens' | 'completionTokens' | 'cachedTokens' | 'durationMs'
>;

export interface PricedUsage {
  costUsd: number;
  energyWh: number;
  free: boolean;
}

export class CostLedger {
  constructor(
    private readonly store: Store,
    private readonly cost: CostConfig,
    private readonly now: () => Date,
  ) {}

  price(usage: CallUsage): PricedUsage {
    const price = this.cost.prices[usage.model];
    const costUsd = price
      ? (usage.promptTokens / 1000) * price.input_per_1k_usd + (usage.completionTokens / 1000) * price.output_per_1k_usd
      : 0;
    // Energy is only meaningful for the machine we run on: the embedded provider.
    const energyWh = usage.provider === 'llama' ? (this.cost.energy_watts * usage.durationMs) / 3_600_000 : 0;
    return { costUsd, energyWh, free: costUsd === 0 };
  }

  record(context: InteractionContext, usage: CallUsage): PricedUsage {
    const priced = this.price(usage);
    this.store.usage.record({ ...context, ...usage, ...priced }, this.now());
    return priced;
  }

  /** Spend this calendar month against `cost.monthly_budget_usd`. */
  monthToDate(): { spentUsd: number; budgetUsd: number; share: number; freeRate: number | null } {
    const now = this.now();
    const since = new Date(now.getFullYear(), now.getMonth(), 1);
    const totals = this.store.usage.totals({ since });
    const budgetUsd = this.cost.monthly_budget_usd;
    return {
      spentUsd: totals.costUsd,
      budgetUsd,
      share: budgetUsd > 0 ? totals.costUsd / budgetUsd : totals.costUsd > 0 ? 1 : 0,
      freeRate: totals.calls > 0 ? totals.freeCalls / totals.calls : null,
    };
  }
}
