// The queries that grow with history must search an index, not scan a table (issue 12, "Scale"). The
// SQL is captured from the real repositories and the report while they run, then explained, so a
// query that changes or an index that goes missing fails here (plans are asserted, never timings).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSessionReport } from '../report/session-report';
import { openStore } from './store';
import type { Store } from './store';

let store: Store;
let captured: string[];
/** The statements the last plansOf() work ran, in order (the EXPLAINs themselves not included). */
let ran: string[];
const now = new Date('2026-11-24T12:00:00Z');

beforeEach(() => {
  store = openStore(':memory:');
  captured = [];
  const prepare = store.db.prepare.bind(store.db);
  // Records each statement's SQL on its way to SQLite; the statement itself is the real one.
  (store.db as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    captured.push(sql);
    return prepare(sql);
  };
  const ws = store.workspaces.add(
    { name: 'app', path: '/repos/app', baseBranch: 'main', targetBranch: 'nocturnal/integration', checks: {} },
    now,
  );
  const session = store.sessions.start({ trigger: 'manual', settings: {} }, now);
  for (let i = 0; i < 3; i++) {
    const task = store.tasks.add(
      {
        workspaceId: ws.id,
        title: `task ${i}`,
        description: '',
        criteria: [],
        priority: i === 1 ? 'high' : 'low',
        executor: 'direct',
        files: [],
      },
      now,
    );
    const attempt = store.attempts.start(
      { taskId: task.id, sessionId: session.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      now,
    );
    store.usage.record(
      {
        sessionId: session.id,
        taskId: task.id,
        attemptId: attempt.id,
        provider: 'openai',
        model: 'm',
        promptTokens: 10,
        completionTokens: 5,
        cachedTokens: 0,
        durationMs: 20,
        costUsd: 0,
        energyWh: 0,
        free: true,
      },
      now,
    );
  }
});
afterEach(() => store.close());

/** The plan of every statement `work` prepared, keyed by its SQL (whitespace folded). */
function plansOf(work: () => void): Map<string, string[]> {
  captured = [];
  work();
  ran = [...captured];
  const plans = new Map<string, string[]>();
  for (const sql of new Set(ran)) {
    // Parameters do not change the plan (no STAT4): each ? is bound to null to explain it.
    const params = (sql.match(/\?/g) ?? []).map(() => null);
    const rows = store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    plans.set(
      sql.replace(/\s+/g, ' ').trim(),
      rows.map((r) => r.detail),
    );
  }
  return plans;
}

function planOf(plans: Map<string, string[]>, sqlStart: string): string[] {
  const found = [...plans.entries()].find(([sql]) => sql.startsWith(sqlStart));
  if (!found)
    throw new Error(`no statement starting with "${sqlStart}" was run; ran:\n${[...plans.keys()].join('\n')}`);
  return found[1];
}

function expectSearchOnly(plans: Map<string, string[]>): void {
  for (const [sql, plan] of plans) {
    // `SCAN (subquery-N)` reads the rows an inner query found (a co-routine, in its index order): the
    // bulk readers wrap their indexed search in one to build a single JSON text. A table scan is
    // `SCAN <table>`.
    const scans = plan.filter((d) => (/^SCAN /.test(d) && !/^SCAN \(subquery-\d+\)$/.test(d)) || /TEMP B-TREE/.test(d));
    expect({ sql, scans }).toEqual({ sql, scans: [] });
  }
}

/** The SQL of the bulk attempt reader (attempts-repo readAttemptsAsJson) for a WHERE clause. */
const attemptsWhere = (where: string) =>
  new RegExp(
    `^SELECT json_group_array\\(json\\(attempt\\)\\) FROM \\(SELECT json_object\\(.* FROM attempts WHERE ${where.replace(/[?()]/g, '\\$&')}.* ORDER BY`,
  );

describe('query plans at scale', () => {
  it("the night planner's reads (queue, latest finished attempts, the model's latest calls) search indexes", () => {
    const plans = plansOf(() => {
      store.tasks.queueHeads();
      store.attempts.recentFinished(200);
      store.usage.recentCalls('m', 50);
    });
    expect(planOf(plans, 'SELECT t.id, t.title, t.priority')).toEqual(['SEARCH t USING INDEX tasks_queue (status=?)']);
    expect(planOf(plans, 'SELECT t.workspace_id AS workspaceId')).toEqual([
      'SCAN a USING INDEX attempts_by_start',
      'SEARCH t USING INDEX sqlite_autoindex_tasks_1 (id=?)',
      'CORRELATED SCALAR SUBQUERY 1',
      'SEARCH u USING INDEX usage_by_attempt (attempt_id=?)',
      'CORRELATED SCALAR SUBQUERY 2',
      'SEARCH u USING INDEX usage_by_attempt (attempt_id=?)',
    ]);
    expect(planOf(plans, 'SELECT completion_tokens AS completionTokens')).toEqual([
      'SEARCH usage USING INDEX usage_by_model (model=?)',
    ]);
  });

  it("the report searches indexes for the session's attempts, their tasks, usage and events: no scan, no sort", () => {
    const session = store.sessions.latest();
    const plans = plansOf(() => buildSessionReport(store, { sessionId: session?.id, freeToolTargetRate: 0 }));
    expectSearchOnly(plans);
    expect(planOf(plans, 'SELECT attempt_id AS attemptId')).toEqual([
      'SEARCH usage USING INDEX usage_by_attempt (attempt_id=?)',
      'LIST SUBQUERY 1',
      'SEARCH attempts USING COVERING INDEX attempts_by_session (session_id=?)',
    ]);
    expect(planOf(plans, 'SELECT COUNT(*) AS calls')).toEqual([
      'SEARCH usage USING INDEX usage_by_session (session_id=?)',
    ]);
    // The session's attempts in start order straight from attempts_by_session: a co-routine, no sort.
    const bySession = [...plans].find(([sql]) => attemptsWhere('session_id = ?').test(sql));
    expect(bySession?.[1]).toEqual([
      'CO-ROUTINE (subquery-1)',
      'SEARCH attempts USING INDEX attempts_by_session (session_id=?)',
      'SCAN (subquery-1)',
    ]);
    expect(planOf(plans, 'SELECT t.id, t.title')[0]).toBe('SEARCH t USING INDEX sqlite_autoindex_tasks_1 (id=?)');
    // One statement per family, whatever the number of attempts: no N+1 per attempt.
    expect(ran.filter((sql) => sql.includes('FROM usage')).length).toBe(2);
  });

  it('the next task is one indexed row in queue order (priority, then age), not the queue loaded and sorted', () => {
    const plans = plansOf(() => {
      expect(store.tasks.next()?.title).toBe('task 1');
    });
    expectSearchOnly(plans);
    expect(planOf(plans, 'SELECT t.*, w.name AS workspace_name FROM tasks t')).toEqual([
      'SEARCH t USING INDEX tasks_queue (status=?)',
      'SEARCH w USING INDEX sqlite_autoindex_workspaces_1 (id=?)',
    ]);
    expect([...plans.keys()].find((sql) => sql.includes('LIMIT 1'))).toBeDefined();
  });

  it('the next task with held-back groups left out still walks the queue index in order', () => {
    const [first] = store.tasks.queueHeads();
    const plans = plansOf(() => {
      expect(store.tasks.next([{ workspaceId: first?.workspaceId ?? '', executor: 'direct' }])).toBeUndefined();
    });
    expectSearchOnly(plans);
    expect(planOf(plans, 'SELECT t.*, w.name AS workspace_name FROM tasks t')).toEqual([
      'SEARCH t USING INDEX tasks_queue (status=?)',
      'SEARCH w USING INDEX sqlite_autoindex_workspaces_1 (id=?)',
    ]);
  });

  it('status counts reviews on an index and task list loads all attempts in one indexed statement', () => {
    const plans = plansOf(() => {
      store.attempts.countWithStatus('review');
      store.attempts.countAutoMergedSince(now);
      expect(store.tasks.list().map((t) => t.attempts.length)).toEqual([1, 1, 1]);
      store.tasks.queue();
    });
    expectSearchOnly(
      new Map([...plans].filter(([sql]) => !sql.endsWith('ON w.id = t.workspace_id ORDER BY t.created_at, t.id'))),
    );
    expect(planOf(plans, 'SELECT COUNT(*) AS n FROM attempts WHERE status = ?')).toEqual([
      'SEARCH attempts USING COVERING INDEX attempts_by_status (status=?)',
    ]);
    expect(planOf(plans, "SELECT COUNT(*) AS n FROM attempts WHERE decision = 'merge'")).toEqual([
      'SEARCH attempts USING INDEX attempts_merged_since (decision=? AND ended_at>?)',
    ]);
    // The whole list reads every task (a scan is the job), in age order from the index: no sort.
    expect(
      planOf(
        plans,
        'SELECT t.*, w.name AS workspace_name FROM tasks t JOIN workspaces w ON w.id = t.workspace_id ORDER BY',
      ),
    ).toEqual(['SCAN t USING INDEX tasks_by_age', 'SEARCH w USING INDEX sqlite_autoindex_workspaces_1 (id=?)']);
    expect(ran.filter((sql) => attemptsWhere('task_id IN (').test(sql.replace(/\s+/g, ' '))).length).toBe(2);
    // Each task's attempts come from the task index in (task, number) order, fed to the JSON array as found.
    const attemptsPlan = [...plans].find(([sql]) => attemptsWhere('task_id IN (SELECT t.id FROM tasks t)').test(sql));
    expect(attemptsPlan?.[1]).toEqual([
      'CO-ROUTINE (subquery-2)',
      'SEARCH attempts USING INDEX sqlite_autoindex_attempts_2 (task_id=?)',
      'USING INDEX sqlite_autoindex_tasks_1 FOR IN-OPERATOR',
      'SCAN (subquery-2)',
    ]);
  });
});
