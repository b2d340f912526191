import type { Migration } from './migration';

/**
 * The queue's order as one SQL expression: critical first, low last. The index below is built on it and
 * the next-task query orders by the very same text, which is how SQLite matches an expression index.
 */
export const queueRankSql = "CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END";

/**
 * Indexes for the queries that grow with history (issue 12, "Scale"): before them `report` summed the
 * usage ledger with a full scan per attempt (quadratic), the session's attempts were sorted in a temp
 * B-tree, and the next task was found by loading and sorting the whole queue. The night planner reads the latest
 * attempts (by start) and the configured model's latest calls (by model).
 */
export const scaleIndexes: Migration = {
  version: 7,
  name: 'indexes for report, status, task list and the next-task pick at 10k attempts',
  up(db) {
    db.exec(`
      CREATE INDEX usage_by_attempt ON usage(attempt_id);
      CREATE INDEX usage_by_session ON usage(session_id);
      CREATE INDEX interactions_by_session ON interactions(session_id, id);
      DROP INDEX attempts_by_session;
      CREATE INDEX attempts_by_session ON attempts(session_id, started_at, id);
      CREATE INDEX attempts_merged_since ON attempts(decision, ended_at);
      CREATE INDEX attempts_by_start ON attempts(started_at);
      CREATE INDEX usage_by_model ON usage(model, id);
      CREATE INDEX tasks_by_age ON tasks(created_at, id);
      CREATE INDEX tasks_queue ON tasks(status, (${queueRankSql}), created_at, id);
    `);
  },
};
