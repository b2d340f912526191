import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { CostConfig } from '../../../src-shared/config/schema';
import { openStore } from '../store/store';
import type { Store } from '../store/store';
import { BudgetGuard } from './budget-guard';
import type { BudgetAlert } from './budget-guard';
import { CostLedger } from './cost-ledger';

let dir: string;
let store: Store;
const now = () => new Date('2026-11-24T23:00:00Z');
const context = { sessionId: null, taskId: null, attemptId: null };
const cost: CostConfig = {
  ...defaultConfig().cost,
  monthly_budget_usd: 10,
  prices: { 'paid-model': { input_per_1k_usd: 1, output_per_1k_usd: 1 } },
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-cost-'));
  store = openStore(path.join(dir, 'db.sqlite'));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function spend(ledger: CostLedger, promptTokens: number) {
  return ledger.record(context, {
    provider: 'openai',
    model: 'paid-model',
    promptTokens,
    completionTokens: 0,
    cachedTokens: 0,
    durationMs: 10,
  });
}

describe('cost and budget', () => {
  it('prices paid models per 1k tokens and local calls at 0 USD with an energy estimate', () => {
    const ledger = new CostLedger(store, { ...cost, energy_watts: 36 }, now);
    expect(spend(ledger, 2000)).toEqual({ costUsd: 2, energyWh: 0, free: false });
    expect(
      ledger.record(context, {
        provider: 'llama',
        model: 'local.gguf',
        promptTokens: 100,
        completionTokens: 100,
        cachedTokens: 0,
        durationMs: 100_000,
      }),
    ).toEqual({ costUsd: 0, energyWh: 1, free: true });
    expect(ledger.monthToDate()).toMatchObject({ spentUsd: 2, budgetUsd: 10, share: 0.2, freeRate: 0.5 });
  });

  it('alerts once per threshold and refuses paid models at the last one', () => {
    const ledger = new CostLedger(store, cost, now);
    const alerts: BudgetAlert[] = [];
    const guard = new BudgetGuard(store, ledger, cost, now, (a) => alerts.push(a));
    spend(ledger, 6000);
    expect(guard.checkThresholds(null).map((a) => a.threshold)).toEqual([0.5]);
    expect(guard.checkThresholds(null)).toEqual([]);
    guard.assertMayCall('paid-model');
    spend(ledger, 3600);
    expect(guard.checkThresholds(null).map((a) => a.threshold)).toEqual([0.8, 0.9, 0.95]);
    expect(alerts).toHaveLength(4);
    expect(() => guard.assertMayCall('paid-model')).toThrow(/monthly budget is 96% spent.*refused/);
    // Free models are never refused.
    guard.assertMayCall('local.gguf');
  });
});
