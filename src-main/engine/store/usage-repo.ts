import type { SqliteDatabase } from './database';
import type { InteractionContext } from './interactions-repo';

export interface UsageEntry extends InteractionContext {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  durationMs: number;
  costUsd: number;
  energyWh: number;
  free: boolean;
}

export interface UsageTotals {
  calls: number;
  freeCalls: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  costUsd: number;
  energyWh: number;
}

/** The usage ledger: one row per model call, summed for sessions and for the monthly budget. */
export class UsageRepo {
  constructor(private readonly db: SqliteDatabase) {}

  record(entry: UsageEntry, now: Date): void {
    this.db
      .prepare(
        `INSERT INTO usage (session_id, task_id, attempt_id, provider, model, prompt_tokens, completion_tokens, cached_tokens,
           duration_ms, cost_usd, energy_wh, free, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.sessionId,
        entry.taskId,
        entry.attemptId,
        entry.provider,
        entry.model,
        entry.promptTokens,
        entry.completionTokens,
        entry.cachedTokens,
        entry.durationMs,
        entry.costUsd,
        entry.energyWh,
        entry.free ? 1 : 0,
        now.toISOString(),
      );
  }

  /** Token totals per attempt of a session, in one indexed pass (the report's per-task figures). */
  tokensByAttemptOfSession(sessionId: string): Map<string, { prompt: number; completion: number; cached: number }> {
    const rows = this.db
      .prepare(
        `SELECT attempt_id AS attemptId, SUM(prompt_tokens) AS prompt, SUM(completion_tokens) AS completion, SUM(cached_tokens) AS cached
         FROM usage WHERE attempt_id IN (SELECT id FROM attempts WHERE session_id = ?) GROUP BY attempt_id`,
      )
      .all(sessionId) as { attemptId: string; prompt: number; completion: number; cached: number }[];
    return new Map(rows.map((r) => [r.attemptId, { prompt: r.prompt, completion: r.completion, cached: r.cached }]));
  }

  /** A model's latest calls (newest first): the night planner measures its real speed from them. */
  recentCalls(model: string, limit: number): { completionTokens: number; durationMs: number }[] {
    return this.db
      .prepare(
        'SELECT completion_tokens AS completionTokens, duration_ms AS durationMs FROM usage WHERE model = ? ORDER BY id DESC LIMIT ?',
      )
      .all(model, limit) as { completionTokens: number; durationMs: number }[];
  }

  /** The same, limited to one session's calls: the speed the model has tonight, once it has answered. */
  recentCallsOfSession(
    sessionId: string,
    model: string,
    limit: number,
  ): { completionTokens: number; durationMs: number }[] {
    return this.db
      .prepare(
        'SELECT completion_tokens AS completionTokens, duration_ms AS durationMs FROM usage WHERE session_id = ? AND model = ? ORDER BY id DESC LIMIT ?',
      )
      .all(sessionId, model, limit) as { completionTokens: number; durationMs: number }[];
  }

  totals(filter: { sessionId?: string; attemptId?: string; since?: Date }): UsageTotals {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.sessionId) {
      where.push('session_id = ?');
      args.push(filter.sessionId);
    }
    if (filter.attemptId) {
      where.push('attempt_id = ?');
      args.push(filter.attemptId);
    }
    if (filter.since) {
      where.push('created_at >= ?');
      args.push(filter.since.toISOString());
    }
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS calls, COALESCE(SUM(free), 0) AS freeCalls, COALESCE(SUM(prompt_tokens), 0) AS promptTokens,
           COALESCE(SUM(completion_tokens), 0) AS completionTokens, COALESCE(SUM(cached_tokens), 0) AS cachedTokens,
           COALESCE(SUM(cost_usd), 0) AS costUsd, COALESCE(SUM(energy_wh), 0) AS energyWh
         FROM usage${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
      )
      .get(...args) as UsageTotals;
    return row;
  }
}
